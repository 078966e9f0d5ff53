package org.mirage4j.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.guest.boot.BootRequest;
import org.mirage4j.guest.boot.PortForward;
import org.mirage4j.guest.boot.QemuBoot;
import org.mirage4j.guest.boot.RunningGuest;
import org.mirage4j.guest.image.GuestDescriptor;
import org.mirage4j.guest.image.PartSources;

/**
 * Guest image sizes and boot times under QEMU, per architecture: for the slides unikernel, QEMU
 * start to its first HTTP 200; as the baseline, measured in the same run on the same kernel, the
 * hello unikernel's QEMU start to power-off (kernel, init, JVM start, four lines). Run by
 * {@code bench/guest-figures.sh}, which builds both samples for each target first.
 *
 * <p>Usage: {@code GuestFigures RUNS SAMPLES_DIR TARGET:ARCH...}
 */
public final class GuestFigures {

  private GuestFigures() {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.parseInt(args[0]);
    Path samples = Path.of(args[1]);
    System.out.printf("%-16s %9s %9s %9s   %-27s %-27s %s%n", "target", "kernel", "initrd", "total",
        "slides: QEMU -> HTTP 200", "hello: QEMU -> power-off", "ratio");
    for (int i = 2; i < args.length; i++) {
      String[] ta = args[i].split(":");
      Path slides = samples.resolve("slides/target/mirage").resolve(ta[0]);
      Path hello = samples.resolve("hello/target/mirage").resolve(ta[0]);
      GuestDescriptor s = GuestDescriptor.find(slides).get(0);
      GuestDescriptor h = GuestDescriptor.find(hello).get(0);
      if (!s.arch().archName().equals(ta[1]) || !h.arch().archName().equals(ta[1])) {
        throw new IllegalStateException("the samples are built for " + s.arch().archName() + ", not " + ta[1]);
      }
      List<Double> http = new ArrayList<>();
      List<Double> base = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        base.add(toExit(h));
        http.add(toHttp(s));
      }
      long k = Files.size(s.kernelFile());
      long rd = Files.size(s.ramdiskFile());
      double medHttp = median(http);
      double medBase = median(base);
      System.out.printf("%-16s %7.1f MB %7.1f MB %7.1f MB   %-27s %-27s %.2f%n", ta[0] + "/" + ta[1], k / 1e6, rd / 1e6,
          (k + rd) / 1e6, summary(http), summary(base), medHttp / medBase);
    }
    System.out.println("(times in seconds, median [min..max] of " + runs + " runs; ratio = slides / hello medians)");
  }

  static double toHttp(GuestDescriptor guest) throws Exception {
    int port = freePort();
    try (RunningGuest g = QemuBoot.start(new BootRequest(guest, List.of(), List.of(new PortForward(port, 8080)),
        guest.dir(), PartSources.defaultCacheDir(), l -> {}, l -> {}))) {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      while (g.isAlive() && g.uptimeSeconds() < 300) {
        try {
          HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
              .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            return g.uptimeSeconds();
          }
        } catch (IOException e) {
          Thread.sleep(100);
        }
      }
      throw new IllegalStateException("no HTTP 200 from " + guest.name() + ": " + g.console());
    }
  }

  private static double toExit(GuestDescriptor guest) throws Exception {
    try (RunningGuest g = QemuBoot.start(new BootRequest(guest, List.of(), List.of(), guest.dir(),
        PartSources.defaultCacheDir(), l -> {}, l -> {}))) {
      if (g.waitFor(Duration.ofMinutes(5)).isEmpty()) {
        throw new IllegalStateException(guest.name() + " did not report its exit: " + g.console());
      }
      return g.uptimeSeconds();
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  static String summary(List<Double> xs) {
    return String.format("%.1f [%.1f..%.1f]", median(xs), xs.stream().mapToDouble(d -> d).min().orElse(0),
        xs.stream().mapToDouble(d -> d).max().orElse(0));
  }
}
