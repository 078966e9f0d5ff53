package org.mirage4j.samples.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import org.mirage4j.guest.boot.BootRequest;
import org.mirage4j.guest.boot.PortForward;
import org.mirage4j.guest.boot.QemuBoot;
import org.mirage4j.guest.boot.RunningGuest;
import org.mirage4j.guest.boot.XenBox;
import org.mirage4j.guest.image.GuestDescriptor;
import org.mirage4j.guest.image.GuestImageException;
import org.mirage4j.guest.image.PartSources;

/**
 * A sample's guest image (built by {@code mvn package -Dmirage.target=xen|arm}) booted under QEMU
 * for an integration test, with its console kept and a free port of 127.0.0.1 forwarded to the
 * guest's port. The build passes {@code mirage.target} and {@code mirage.buildDir}. Time limits are
 * safety nets for a hung guest under emulation, never measurements.
 */
public final class GuestBoot implements AutoCloseable {

  /** How long a guest may take to do what a test waits for under TCG on a loaded machine. */
  public static final Duration SAFETY_NET = Duration.ofMinutes(6);

  private final RunningGuest guest;

  private GuestBoot(RunningGuest guest) {
    this.guest = guest;
  }

  private static Path artifacts() {
    return Path.of(System.getProperty("mirage.buildDir", "target"), "mirage", target());
  }

  private static String target() {
    return System.getProperty("mirage.target", "unix");
  }

  /** Skips the calling test, with the reason printed, unless this build's guest can be booted here. */
  public static void assumeBootable() {
    String why = skipReason();
    if (why != null) {
      System.out.println("SKIPPED: " + why);
      org.junit.jupiter.api.Assumptions.abort(why);
    }
  }

  /** Why this build's guest cannot be booted here, or null when it can. */
  public static String skipReason() {
    try {
      return QemuBoot.unavailableReason(GuestDescriptor.find(artifacts()).get(0));
    } catch (GuestImageException e) {
      return "target " + target() + " builds no guest image (build with -Dmirage.target=xen or arm to boot one)";
    }
  }

  /**
   * Whether the build asks for Xen in a box ({@code -Dmirage.boot=xen}: Xen 4.17 nested in QEMU,
   * the guest created by a dom0 from its generated {@code .xl}) rather than plain QEMU.
   */
  public static boolean onXen() {
    return "xen".equals(System.getProperty("mirage.boot", "qemu"));
  }

  /**
   * The {@code .xl} files the dom0 of a Xen box checks with Xen's parser besides the guest's own:
   * those below {@code -Dmirage.xlCheckDir}, if the build gives one.
   */
  public static List<Path> xlToCheck() {
    String dir = System.getProperty("mirage.xlCheckDir", "");
    if (dir.isBlank() || !Path.of(dir).toFile().isDirectory()) {
      return List.of();
    }
    try (var walk = java.nio.file.Files.walk(Path.of(dir))) {
      return walk.filter(p -> p.toString().endsWith(".xl")).sorted().toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Boots the guest with the unikernel's options {@code args}, forwarding a free host port to each
   * of {@code guestPorts}: under QEMU, or on Xen in a box when the build says {@code -Dmirage.boot=xen}.
   */
  public static GuestBoot start(List<Integer> guestPorts, String... args) {
    List<PortForward> forwards = new ArrayList<>();
    for (int p : guestPorts) {
      forwards.add(new PortForward(UnikernelProcess.freePort(), p));
    }
    try {
      GuestDescriptor guest = GuestDescriptor.find(artifacts()).get(0);
      java.util.function.Consumer<String> console = line -> System.out.println("guest| " + line);
      if (onXen()) {
        PartSources parts = new PartSources(UnikernelProcess.sampleDir().resolve("mirage-guest.lock"),
            PartSources.defaultCacheDir(), List.of(),
            PartSources.Pinning.of(System.getProperty("mirage.guest.update", "none")));
        return new GuestBoot(XenBox.start(new XenBox.Request(guest, List.of(args), forwards, xlToCheck(), null, parts,
            artifacts().resolve("xenbox"), console, System.out::println)));
      }
      return new GuestBoot(QemuBoot.start(new BootRequest(guest, List.of(args), forwards, artifacts(),
          PartSources.defaultCacheDir(), console, System.out::println)));
    } catch (GuestImageException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** Types a line on the guest's console (a Xen box's dom0 takes {@code xl} commands). */
  public void send(String line) {
    guest.send(line);
  }

  /** The host port forwarded to the guest's {@code guestPort}. */
  public int hostPort(int guestPort) {
    return guest.hostPort(guestPort).orElseThrow(() -> new IllegalArgumentException("no forward to " + guestPort));
  }

  /** Waits for a console line. */
  public Optional<String> awaitConsole(Predicate<String> test) throws InterruptedException {
    return guest.awaitLine(test, SAFETY_NET);
  }

  /**
   * Polls {@code http://127.0.0.1:<host port>/<path>} until the guest answers (the unikernel
   * starts some seconds after the guest), and returns that first response.
   */
  public HttpResponse<String> awaitHttp(int guestPort, String path) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create("http://127.0.0.1:" + hostPort(guestPort) + path);
    long deadline = System.nanoTime() + SAFETY_NET.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline && guest.isAlive()) {
      try {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        last = e;
        Thread.sleep(500);
      }
    }
    throw new IllegalStateException("the guest did not answer " + uri + " (console: " + guest.console() + ")", last);
  }

  /** The console so far. */
  public List<String> console() {
    return guest.console();
  }

  /** Waits for the guest to power off: the unikernel's exit status, if it reported one. */
  public OptionalInt waitFor() throws InterruptedException {
    return guest.waitFor(SAFETY_NET);
  }

  /** Seconds since QEMU started. */
  public double uptimeSeconds() {
    return guest.uptimeSeconds();
  }

  @Override
  public void close() {
    guest.close();
  }
}
