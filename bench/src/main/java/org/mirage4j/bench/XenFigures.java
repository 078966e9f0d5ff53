package org.mirage4j.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.guest.boot.PortForward;
import org.mirage4j.guest.boot.RunningGuest;
import org.mirage4j.guest.boot.XenBox;
import org.mirage4j.guest.image.GuestDescriptor;
import org.mirage4j.guest.image.PartSources;

/**
 * Xen in a box, per architecture, for the slides unikernel: QEMU start to dom0 ready, {@code xl
 * create} to the guest's first HTTP 200 (through netfront, the dom0 bridge and QEMU's forward),
 * and QEMU start to that 200; as the baseline, the same guest's QEMU start to its first HTTP 200
 * under plain QEMU measured in the same run ({@link GuestFigures}). Run by {@code
 * bench/guest-figures.sh --xen}.
 *
 * <p>Usage: {@code XenFigures RUNS SAMPLES_DIR TARGET:ARCH...}
 */
public final class XenFigures {

  private XenFigures() {}

  public static void main(String[] args) throws Exception {
    int runs = Integer.parseInt(args[0]);
    Path samples = Path.of(args[1]);
    System.out.printf("%-16s %-22s %-22s %-22s %-22s %s%n", "target", "QEMU -> dom0 ready", "xl create -> HTTP 200",
        "QEMU -> HTTP 200", "plain QEMU -> HTTP 200", "ratio");
    for (int i = 2; i < args.length; i++) {
      String[] ta = args[i].split(":");
      GuestDescriptor g = GuestDescriptor.find(samples.resolve("slides/target/mirage").resolve(ta[0])).get(0);
      List<Double> dom0 = new ArrayList<>();
      List<Double> create = new ArrayList<>();
      List<Double> total = new ArrayList<>();
      List<Double> plain = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        double[] x = onXen(g, samples.resolve("slides/mirage-guest.lock"));
        dom0.add(x[0]);
        create.add(x[2] - x[1]);
        total.add(x[2]);
        plain.add(GuestFigures.toHttp(g));
      }
      System.out.printf("%-16s %-22s %-22s %-22s %-22s %.2f%n", ta[0] + "/" + ta[1], GuestFigures.summary(dom0),
          GuestFigures.summary(create), GuestFigures.summary(total), GuestFigures.summary(plain),
          GuestFigures.median(total) / GuestFigures.median(plain));
    }
    System.out.println("(seconds, median [min..max] of " + runs + " runs; ratio = Xen / plain QEMU, QEMU start to HTTP 200)");
  }

  /** Seconds from QEMU start to dom0 ready, to xl create done, to the first HTTP 200. */
  private static double[] onXen(GuestDescriptor guest, Path lock) throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (RunningGuest g = XenBox.start(new XenBox.Request(guest, List.of(), List.of(new PortForward(port, 8080)),
        List.of(), null, new PartSources(lock, PartSources.defaultCacheDir(), List.of(), PartSources.Pinning.REPIN_MISSING),
        guest.dir().resolve("xenbox"), l -> {}, l -> {}))) {
      double ready = mark(g, "mirage4j-xenbox: dom0 ready");
      double created = mark(g, "mirage4j-xenbox: created ");
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      while (g.isAlive() && g.uptimeSeconds() < 900) {
        try {
          HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
              .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
          if (r.statusCode() == 200) {
            return new double[] {ready, created, g.uptimeSeconds()};
          }
        } catch (IOException e) {
          Thread.sleep(200);
        }
      }
      throw new IllegalStateException("no HTTP 200 from the Xen guest: " + g.console());
    }
  }

  private static double mark(RunningGuest g, String prefix) throws InterruptedException {
    g.awaitLine(l -> l.startsWith(prefix), Duration.ofMinutes(15))
        .orElseThrow(() -> new IllegalStateException("no '" + prefix + "' on the box's console: " + g.console()));
    return g.uptimeSeconds();
  }
}
