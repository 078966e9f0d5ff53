package org.mirage4j.drivers.tap;

import static com.google.common.truth.Truth.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.DhcpServer;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.MonotonicClock;
import org.mirage4j.api.RandomSource;
import org.mirage4j.drivers.direct.ArpLayer;
import org.mirage4j.drivers.direct.DirectDhcpServer;
import org.mirage4j.drivers.direct.EthernetLayer;
import org.mirage4j.drivers.direct.IcmpLayer;
import org.mirage4j.drivers.direct.StaticIpv4;
import org.mirage4j.drivers.direct.UdpLayer;
import org.mirage4j.testing.netns.Netns;

/**
 * The direct stack's DHCP server on a TAP device inside a network namespace this test creates,
 * against a real client: busybox's {@code udhcpc} on the kernel's side of the device (Debian's
 * {@code busybox}, which {@code .ci/run} installs). The client is bound, renews (SIGUSR1) and
 * releases (SIGUSR2); a second one quits holding its lease, which then expires.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TapDhcpServerIntegrationTest {

  static final String NS = "m4s-dhcp-" + ProcessHandle.current().pid();
  static final String DEV = "m4sdhcp0";
  static final Ipv4Address SERVER = Ipv4Address.parse("10.74.0.1");

  static TapNetwork tap;
  static EthernetLayer eth;
  static ArpLayer arp;
  static StaticIpv4 ip;
  static IcmpLayer icmp;
  static UdpLayer udp;
  static DirectDhcpServer dhcp;
  static final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  static Path script;

  @BeforeAll
  static void setUp() throws Exception {
    String why = Netns.unavailableReason();
    if (why == null && !Netns.has("busybox")) {
      why = "no busybox (its udhcpc is the DHCP client; apt-get install busybox)";
    }
    if (why != null) {
      System.out.println("SKIPPED TapDhcpServerIntegrationTest: " + why);
    }
    Assumptions.assumeTrue(why == null, why);
    Netns.must("ip", "netns", "add", NS);
    tap = new TapNetwork(DEV);
    Netns.inside(NS, () -> {
      tap.connect();
      return null;
    });
    Netns.must("ip", "-n", NS, "link", "set", "lo", "up");
    Netns.must("ip", "-n", NS, "link", "set", DEV, "up");
    MonotonicClock clock = System::nanoTime;
    SecureRandom sr = new SecureRandom();
    RandomSource random = sr::nextBytes;
    eth = new EthernetLayer(tap);
    arp = new ArpLayer(eth, clock);
    ip = new StaticIpv4(eth, arp, new Ipv4Prefix(SERVER, 24), List.of());
    icmp = new IcmpLayer(ip);
    udp = new UdpLayer(ip, random);
    dhcp = new DirectDhcpServer(ip, udp, clock, Ipv4Address.parse("10.74.0.100"),
        Ipv4Address.parse("10.74.0.109"), Duration.ofSeconds(3), List.of(SERVER),
        List.of(Ipv4Address.parse("10.74.0.53")));
    for (var d : new org.mirage4j.api.Device[] {eth, arp, ip, icmp, udp, dhcp}) {
      d.connect();
    }
    Thread t = new Thread(() -> {
      try {
        dhcp.serve((e, l) -> events.add(e + " " + l.address() + " " + l.hostname().orElse("-")));
      } catch (IOException e) {
        // closed
      }
    }, "dhcp-server");
    t.setDaemon(true);
    t.start();
    // udhcpc's event script: print what the server gave, and configure the interface
    script = Files.createTempFile("m4s-udhcpc", ".sh",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.writeString(script, """
        #!/bin/sh
        echo "EVENT $1 ip=$ip subnet=$subnet router=$router dns=$dns lease=$lease serverid=$serverid"
        case "$1" in
          bound|renew) ip addr flush dev "$interface"; ip addr add "$ip/$mask" dev "$interface" ;;
          deconfig) ip addr flush dev "$interface" ;;
        esac
        """);
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {dhcp, udp, icmp, ip, arp, eth, tap}) {
      if (c != null) {
        c.close();
      }
    }
    Netns.run(30, "ip", "netns", "del", NS);
    if (script != null) {
      Files.deleteIfExists(script);
    }
  }

  @Test
  void udhcpcIsBoundRenewsReleasesAndAnAbandonedLeaseExpires() throws Exception {
    Process client = udhcpc("-f", "-R", "-x", "hostname:m4s-client");
    try (BufferedReader out = reader(client)) {
      String bound = awaitLine(out, "EVENT bound");
      assertThat(bound).isEqualTo("EVENT bound ip=10.74.0.100 subnet=255.255.255.0 router=10.74.0.1"
          + " dns=10.74.0.53 lease=3 serverid=10.74.0.1");
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("GRANTED 10.74.0.100 m4s-client");
      DhcpServer.Lease lease = dhcp.leases().get(0);
      assertThat(lease.client()).isEqualTo(tapMac());
      // the kernel configured the address it was given: the server's stack reaches it there
      assertThat(icmp.ping(Ipv4Address.parse("10.74.0.100"), Duration.ofSeconds(3))).isPresent();
      signal(client, "USR1"); // renew now (unicast REQUEST from 10.74.0.100)
      assertThat(awaitLine(out, "EVENT renew")).contains("ip=10.74.0.100");
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("RENEWED 10.74.0.100 m4s-client");
      signal(client, "USR2"); // release
      // with a 3-s lease udhcpc also renews by itself every 1.5 s: those renewals may come first
      assertThat(nextEventOtherThan("RENEWED 10.74.0.100 m4s-client"))
          .isEqualTo("RELEASED 10.74.0.100 m4s-client");
      assertThat(dhcp.leases()).isEmpty();
    } finally {
      signal(client, "TERM");
      client.waitFor(10, TimeUnit.SECONDS);
      client.destroyForcibly();
    }
    // a client that quits holding its lease (-q, no release): it runs out after 3 s
    Process quitter = udhcpc("-q");
    try (BufferedReader out = reader(quitter)) {
      assertThat(awaitLine(out, "EVENT bound")).contains("ip=10.74.0.100"); // its former address
      assertThat(quitter.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      quitter.destroyForcibly();
    }
    assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("GRANTED 10.74.0.100 -");
    assertThat(events.poll(15, TimeUnit.SECONDS)).isEqualTo("EXPIRED 10.74.0.100 -");
    assertThat(dhcp.leases()).isEmpty();
  }

  /** The next server event that is not {@code skipped} (null after 10 s without one). */
  private static String nextEventOtherThan(String skipped) throws InterruptedException {
    String e;
    do {
      e = events.poll(10, TimeUnit.SECONDS);
    } while (skipped.equals(e));
    return e;
  }

  private static Process udhcpc(String... options) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", NS, "busybox",
        "udhcpc", "-i", DEV, "-s", script.toString(), "-t", "5", "-T", "1", "-A", "1"));
    cmd.addAll(List.of(options));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static BufferedReader reader(Process p) {
    return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The next line of udhcpc's output that starts with {@code prefix} (the hang guard is the test's timeout). */
  private static String awaitLine(BufferedReader out, String prefix) throws IOException {
    String line;
    while ((line = out.readLine()) != null) {
      System.out.println("[udhcpc] " + line);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new AssertionError("udhcpc ended before printing " + prefix);
  }

  /** Sends a signal to the udhcpc this test started (ip netns exec runs it in place, same pid). */
  private static void signal(Process p, String name) throws Exception {
    if (p.isAlive()) {
      Netns.run(10, "kill", "-" + name, Long.toString(p.pid()));
    }
  }

  private static org.mirage4j.api.MacAddress tapMac() throws Exception {
    String out = Netns.run(10, "ip", "-n", NS, "-o", "link", "show", DEV).out();
    int at = out.indexOf("link/ether ") + 11;
    return org.mirage4j.api.MacAddress.parse(out.substring(at, at + 17));
  }
}
