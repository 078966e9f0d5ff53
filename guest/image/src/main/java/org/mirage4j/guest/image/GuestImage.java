package org.mirage4j.guest.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A built guest image: its two files and what went into them, as recorded in {@code
 * <name>.image.txt} next to them (which also tells a later build whether the image is up to date).
 *
 * @param kernel the kernel file ({@code <name>.vmlinuz})
 * @param initrd the initramfs ({@code <name>.initrd})
 * @param kernelSize the kernel's size in bytes
 * @param initrdSize the initramfs's size in bytes
 * @param unpackedSize the initramfs's content in bytes, unpacked
 * @param kernelRelease the kernel's release ({@code 6.1.0-57-cloud-amd64})
 * @param modules the kernel modules the init loads, in order
 * @param jreModules the JDK modules of the guest's JRE
 * @param libraries the C libraries in the image
 * @param stamp a digest of every input (jar, parts, layout)
 */
public record GuestImage(
    Path kernel,
    Path initrd,
    long kernelSize,
    long initrdSize,
    long unpackedSize,
    String kernelRelease,
    List<String> modules,
    List<String> jreModules,
    List<String> libraries,
    String stamp) {

  /** Copies the lists. */
  public GuestImage {
    modules = List.copyOf(modules);
    jreModules = List.copyOf(jreModules);
    libraries = List.copyOf(libraries);
  }

  /** Kernel and initramfs together, in bytes. */
  public long totalSize() {
    return kernelSize + initrdSize;
  }

  void write(Path manifest, GuestImageRequest request) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("# mirage4j guest image of unikernel ").append(request.name()).append(" (")
        .append(request.arch().archName()).append("), written by the guest image builder.\n");
    sb.append("# Boot it with: xl create ").append(request.name()).append(".xl  (or mvn mirage:boot, mirage boot)\n");
    sb.append("kernel ").append(kernel.getFileName()).append(' ').append(kernelSize).append('\n');
    sb.append("initrd ").append(initrd.getFileName()).append(' ').append(initrdSize).append('\n');
    sb.append("unpacked ").append(unpackedSize).append('\n');
    sb.append("kernel-release ").append(kernelRelease).append('\n');
    sb.append("modules ").append(String.join(" ", modules)).append('\n');
    sb.append("jre-modules ").append(String.join(" ", jreModules)).append('\n');
    sb.append("libraries ").append(String.join(" ", libraries)).append('\n');
    sb.append("java-options ").append(GuestImageBuilder.JAVA_OPTIONS).append('\n');
    sb.append("stamp ").append(stamp).append('\n');
    Files.writeString(manifest, sb.toString(), StandardCharsets.UTF_8);
  }

  /** The image recorded in {@code manifest}, if both its files still have the recorded sizes. */
  static Optional<GuestImage> read(Path manifest, GuestImageRequest request) {
    try {
      if (!Files.isRegularFile(manifest)) {
        return Optional.empty();
      }
      Map<String, String> f = new TreeMap<>();
      for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
        if (!line.startsWith("#") && line.contains(" ")) {
          f.put(line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
        }
      }
      Path kernel = request.kernelFile();
      Path initrd = request.initrdFile();
      long ks = Long.parseLong(f.get("kernel").split(" ")[1]);
      long is = Long.parseLong(f.get("initrd").split(" ")[1]);
      if (!Files.isRegularFile(kernel) || !Files.isRegularFile(initrd) || Files.size(kernel) != ks || Files.size(initrd) != is) {
        return Optional.empty();
      }
      return Optional.of(new GuestImage(kernel, initrd, ks, is, Long.parseLong(f.get("unpacked")), f.get("kernel-release"),
          words(f.get("modules")), words(f.get("jre-modules")), words(f.get("libraries")), f.get("stamp")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static List<String> words(String s) {
    return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
  }
}
