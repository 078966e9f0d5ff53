package org.mirage4j.samples.directit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.testing.netns.Netns;

/**
 * The {@code dhcp} sample (MirageOS's applications/dhcp), generated for unix, runs on a TAP device in
 * a network namespace this test creates and hands an address to busybox's {@code udhcpc} on the
 * kernel's side, logging the lease; skipped with a printed reason where the machine cannot (not
 * root, no {@code ip}, no {@code /dev/net/tun}, no {@code busybox}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DhcpSampleOnDirectStackTest {

  static final String NS = "m4s-dhcps-" + ProcessHandle.current().pid();
  static final String DEV = "m4sdhcps0";

  @Test
  void handsAnAddressToUdhcpc(@TempDir Path out) throws Exception {
    String why = Netns.unavailableReason();
    if (why == null && !Netns.has("busybox")) {
      why = "no busybox (its udhcpc is the client)";
    }
    if (why != null) {
      System.out.println("SKIPPED DhcpSampleOnDirectStackTest: " + why);
    }
    Assumptions.assumeTrue(why == null, why);
    Path sample = Path.of(System.getProperty("mirage.samplesDir")).resolve("dhcp").toAbsolutePath()
        .normalize();
    String wiring = GeneratedUnikernel.generateAndCompile(sample, out, Map.of(),
        "org.mirage4j.drivers.direct.DirectDhcpServer", "org.mirage4j.drivers.tap.TapNetwork");
    String childClasspath = out.resolve("classes") + File.pathSeparator
        + System.getProperty("java.class.path");
    Process unikernel = null;
    List<String> transcript = Collections.synchronizedList(new ArrayList<>());
    try {
      Netns.must("ip", "netns", "add", NS);
      Netns.must("ip", "-n", NS, "link", "set", "lo", "up");
      Netns.must("ip", "-n", NS, "tuntap", "add", "dev", DEV, "mode", "tap");
      Netns.must("ip", "-n", NS, "link", "set", DEV, "up");
      unikernel = new ProcessBuilder("ip", "netns", "exec", NS,
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp", childClasspath, wiring, "--interface=" + DEV, "--ipv4=10.73.0.1/24",
              "--dhcp-range-first=10.73.0.50", "--dhcp-range-last=10.73.0.59", "--dhcp-lease=2m",
              "--dhcp-routers=10.73.0.1")
          .directory(out.toFile())
          .redirectErrorStream(true)
          .start();
      CompletableFuture<Void> ready = new CompletableFuture<>();
      GeneratedUnikernel.pump(unikernel.getInputStream(), transcript, "DHCP server ready", ready);
      ready.get(60, TimeUnit.SECONDS);
      // -q: quit once bound, -n: fail if no lease; the script prints what it got
      Netns.Result r = Netns.run(60, "ip", "netns", "exec", NS, "busybox", "udhcpc", "-i", DEV, "-q",
          "-n", "-t", "5", "-T", "1", "-x", "hostname:udhcpc-test", "-s", "/bin/true");
      assertWithMessage("udhcpc: %s%s\nunikernel:\n%s", r.out(), r.stderr(),
          String.join("\n", transcript)).that(r.exit()).isEqualTo(0);
      assertThat(r.out() + r.stderr()).contains("lease of 10.73.0.50 obtained from 10.73.0.1, lease time 120");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (transcript.stream().noneMatch(l -> l.contains("GRANTED 10.73.0.50")) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertWithMessage("unikernel:\n%s", String.join("\n", transcript))
          .that(transcript.stream().anyMatch(l -> l.contains("GRANTED 10.73.0.50 to ")
              && l.contains("(udhcpc-test) for 120 s")))
          .isTrue();
    } finally {
      if (unikernel != null) {
        unikernel.destroy();
        if (!unikernel.waitFor(10, TimeUnit.SECONDS)) {
          unikernel.destroyForcibly();
          unikernel.waitFor(10, TimeUnit.SECONDS);
        }
      }
      Netns.run(30, "ip", "-n", NS, "link", "del", DEV);
      Netns.run(30, "ip", "netns", "del", NS);
    }
  }
}
