package org.mirage4j.tooling;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mirage4j.guest.boot.BootRequest;
import org.mirage4j.guest.boot.PortForward;
import org.mirage4j.guest.boot.QemuBoot;
import org.mirage4j.guest.boot.RunningGuest;
import org.mirage4j.guest.boot.XenBox;
import org.mirage4j.guest.image.GuestDescriptor;
import org.mirage4j.guest.image.GuestImage;
import org.mirage4j.guest.image.GuestImageBuilder;
import org.mirage4j.guest.image.GuestImageException;
import org.mirage4j.guest.image.GuestImageRequest;
import org.mirage4j.guest.image.PartSources;

/**
 * What {@code mirage image} / {@code mvn mirage:image} and {@code mirage boot} / {@code mvn
 * mirage:boot} both do with the guests generated in a target's artifacts directory.
 */
public final class GuestTasks {

  private GuestTasks() {}

  /** Whether {@code artifactsDir} holds a generated guest (a {@code <name>.guest}). */
  public static boolean hasGuest(Path artifactsDir) {
    try (var s = Files.list(artifactsDir)) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".guest"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * Removes the boot images that the image builder wrote for the other targets below {@code
   * mirageDir} ({@code target/mirage/<other>/<name>.vmlinuz}, {@code .initrd}, {@code
   * .image.txt}): switching target leaves nothing of the previous one, as the generator does for its
   * own files. Only what a {@code <name>.image.txt} manifest names is removed, then the directory
   * if it is empty.
   *
   * @return the files removed
   */
  public static List<Path> removeOtherTargetsImages(Path mirageDir, String target) throws java.io.IOException {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(mirageDir)) {
      return removed;
    }
    List<Path> dirs;
    try (var s = Files.list(mirageDir)) {
      dirs = s.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().equals(target)).sorted().toList();
    }
    for (Path dir : dirs) {
      List<Path> manifests;
      try (var s = Files.list(dir)) {
        manifests = s.filter(p -> p.getFileName().toString().endsWith(".image.txt")).sorted().toList();
      }
      for (Path manifest : manifests) {
        for (String line : Files.readAllLines(manifest)) {
          String[] w = line.split(" ");
          if (w.length >= 2 && (w[0].equals("kernel") || w[0].equals("initrd")) && !w[1].contains("/")) {
            if (Files.deleteIfExists(dir.resolve(w[1]))) {
              removed.add(dir.resolve(w[1]));
            }
          }
        }
        Files.delete(manifest);
        removed.add(manifest);
      }
      try (var s = Files.list(dir)) {
        if (s.findAny().isEmpty()) {
          Files.delete(dir);
        }
      }
    }
    return removed;
  }

  /**
   * Builds the image of every guest generated in {@code artifactsDir} from its jar ({@code
   * <jarDir>/<name>.jar}, or {@code jar} when given).
   */
  public static List<GuestImage> buildImages(Path artifactsDir, Path jarDir, Path jar, PartSources parts,
      Consumer<String> log)
      throws GuestImageException {
    List<GuestImage> images = new ArrayList<>();
    GuestImageBuilder builder = new GuestImageBuilder(log);
    for (GuestDescriptor guest : GuestDescriptor.find(artifactsDir)) {
      Path j = jar != null ? jar : jarDir.resolve(guest.name() + ".jar");
      images.add(builder.build(GuestImageRequest.of(guest, j, parts)));
    }
    return images;
  }

  /**
   * Starts the (only) guest generated in {@code artifactsDir} under QEMU; its disk files are taken
   * from, or created in, the same directory.
   *
   * @throws GuestImageException when there is no guest, more than one, or the boot cannot start
   */
  public static RunningGuest bootQemu(Path artifactsDir, List<String> arguments, List<PortForward> forwards,
      Path cacheDir, Consumer<String> console, Consumer<String> log) throws GuestImageException {
    List<GuestDescriptor> guests = GuestDescriptor.find(artifactsDir);
    if (guests.size() != 1) {
      throw new GuestImageException(artifactsDir + " holds " + guests.size() + " guests; boot one at a time");
    }
    return QemuBoot.start(new BootRequest(guests.get(0), arguments, forwards, artifactsDir, cacheDir, console, log));
  }

  /**
   * Starts the (only) guest generated in {@code artifactsDir} on Xen in a box (Xen 4.17 nested in
   * QEMU, a dom0 that creates it from its generated {@code .xl}); the box's files go to {@code
   * <artifactsDir>/xenbox/}.
   */
  public static RunningGuest bootXen(Path artifactsDir, List<String> arguments, List<PortForward> forwards,
      PartSources parts, Consumer<String> console, Consumer<String> log) throws GuestImageException {
    List<GuestDescriptor> guests = GuestDescriptor.find(artifactsDir);
    if (guests.size() != 1) {
      throw new GuestImageException(artifactsDir + " holds " + guests.size() + " guests; boot one at a time");
    }
    return XenBox.start(new XenBox.Request(guests.get(0), arguments, forwards, List.of(), null, parts,
        artifactsDir.resolve("xenbox"), console, log));
  }

  /**
   * Passes what the user types to the guest's console, line by line, from a daemon thread (a Xen
   * box's dom0 takes {@code xl} commands there).
   */
  public static void forwardInput(java.io.InputStream in, RunningGuest guest) {
    Thread t = new Thread(() -> {
      try (java.io.BufferedReader r = new java.io.BufferedReader(
          new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null && guest.isAlive()) {
          guest.send(line);
        }
      } catch (java.io.IOException | java.io.UncheckedIOException e) {
        // the terminal or the guest has gone
      }
    }, "guest-console-input");
    t.setDaemon(true);
    t.start();
  }

  /** {@code 18080:8080,9090} as port forwards. */
  public static List<PortForward> forwards(String text) {
    List<PortForward> out = new ArrayList<>();
    if (text == null || text.isBlank()) {
      return out;
    }
    for (String f : text.split(",")) {
      if (!f.isBlank()) {
        out.add(PortForward.parse(f));
      }
    }
    return out;
  }

  /** The unikernel's options as one string, split into words ({@code --port=9090 --verbose}). */
  public static List<String> words(String text) {
    return text == null || text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
  }
}
