package org.mirage4j.drivers.tap;

import static com.google.common.truth.Truth.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.Flow;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.Ipv6Prefix;
import org.mirage4j.api.MonotonicClock;
import org.mirage4j.api.RandomSource;
import org.mirage4j.api.TcpListener;
import org.mirage4j.drivers.direct.ArpLayer;
import org.mirage4j.drivers.direct.DirectStack;
import org.mirage4j.drivers.direct.EthernetLayer;
import org.mirage4j.drivers.direct.IcmpLayer;
import org.mirage4j.drivers.direct.Ipv6Layer;
import org.mirage4j.drivers.direct.StaticIpv4;
import org.mirage4j.drivers.direct.TcpLayer;
import org.mirage4j.drivers.direct.UdpLayer;
import org.mirage4j.testing.netns.Netns;

/**
 * The dual direct stack on a TAP device inside a network namespace this test creates, against the
 * Linux kernel over IPv6: ping both ways (global and link-local addresses), TCP both ways with
 * SHA-256 compared, and an address autoconfigured from a router advertisement the kernel's side
 * sends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TapIpv6IntegrationTest {

  static final String NS = "m4s-tap6-" + ProcessHandle.current().pid();
  static final String DEV = "m4stap6";
  static final Ipv6Address KERNEL6 = Ipv6Address.parse("fd76::1");
  static final Ipv6Address STACK6 = Ipv6Address.parse("fd76::2");
  static final int SIZE = 20 << 20;

  static TapNetwork tap;
  static EthernetLayer eth;
  static ArpLayer arp;
  static StaticIpv4 ip;
  static Ipv6Layer ip6;
  static IcmpLayer icmp;
  static UdpLayer udp;
  static TcpLayer tcp;
  static DirectStack stack;
  static Ipv6Address stackLinkLocal;
  static Ipv6Address kernelLinkLocal;
  static final byte[] BIG = new byte[SIZE];

  @BeforeAll
  static void setUp() throws Exception {
    String why = Netns.unavailableReason();
    if (why == null && !Netns.has("python3")) {
      why = "no python3 (it sends ICMPv6 echo and router advertisements from the namespace)";
    }
    if (why != null) {
      System.out.println("SKIPPED TapIpv6IntegrationTest: " + why);
    }
    Assumptions.assumeTrue(why == null, why);
    new Random(76).nextBytes(BIG);
    Netns.must("ip", "netns", "add", NS);
    tap = new TapNetwork(DEV);
    Netns.inside(NS, () -> {
      tap.connect();
      return null;
    });
    // no duplicate address detection on the kernel's side: its addresses are usable at once
    Netns.must("ip", "netns", "exec", NS, "sysctl", "-q", "-w", "net.ipv6.conf." + DEV + ".accept_dad=0");
    Netns.must("ip", "-n", NS, "link", "set", "lo", "up");
    Netns.must("ip", "-n", NS, "addr", "add", "10.76.0.1/24", "dev", DEV);
    Netns.must("ip", "-n", NS, "-6", "addr", "add", KERNEL6 + "/64", "dev", DEV, "nodad");
    Netns.must("ip", "-n", NS, "link", "set", DEV, "up");
    MonotonicClock clock = System::nanoTime;
    SecureRandom sr = new SecureRandom();
    RandomSource random = sr::nextBytes;
    eth = new EthernetLayer(tap);
    arp = new ArpLayer(eth, clock);
    ip = new StaticIpv4(eth, arp, Ipv4Prefix.parse("10.76.0.2/24"), List.of());
    ip6 = new Ipv6Layer(eth, clock, random, List.of(new Ipv6Prefix(STACK6, 64)), List.of(), true);
    icmp = new IcmpLayer(ip);
    udp = new UdpLayer(ip, ip6, random);
    tcp = new TcpLayer(ip, ip6, clock, random);
    stack = new DirectStack(ip, ip6, icmp, udp, tcp);
    for (var d : new org.mirage4j.api.Device[] {eth, arp, ip, ip6, icmp, udp, tcp, stack}) {
      d.connect();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ip6.addresses().size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20); // duplicate address detection: about a second
    }
    assertThat(ip6.addresses()).hasSize(2);
    stackLinkLocal = ip6.addresses().get(0).address();
    String out = Netns.run(10, "ip", "-n", NS, "-6", "-o", "addr", "show", "dev", DEV, "scope", "link")
        .out();
    kernelLinkLocal = Ipv6Address.parse(out.substring(out.indexOf("inet6 ") + 6, out.indexOf('/')));
  }

  @AfterAll
  static void tearDown() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {stack, tcp, udp, icmp, ip6, ip, arp, eth, tap}) {
      if (c != null) {
        c.close();
      }
    }
    Netns.run(30, "ip", "netns", "del", NS);
  }

  @Test
  @Order(1)
  void theStackPingsTheKernel() throws Exception {
    assertThat(stackLinkLocal.isLinkLocal()).isTrue();
    assertThat(ip6.ping(KERNEL6, Duration.ofSeconds(3))).isPresent();
    assertThat(ip6.ping(kernelLinkLocal, Duration.ofSeconds(3))).isPresent();
  }

  @Test
  @Order(2)
  void theKernelPingsTheStack() throws Exception {
    assertThat(kernelPing(STACK6.toString()).exit()).isEqualTo(0);
    assertThat(kernelPing(stackLinkLocal + "%" + DEV).exit()).isEqualTo(0);
  }

  @Test
  @Order(3)
  void theKernelFetchesFromTheStackOverTcp() throws Exception {
    Assumptions.assumeTrue(Netns.has("curl"), "curl is needed in the namespace");
    TcpListener l = tcp.listen(8080, 4);
    Thread server = new Thread(() -> {
      try (Flow f = l.accept()) {
        ByteBuffer req = ByteBuffer.allocate(4096);
        while (!new String(req.array(), 0, req.position(), StandardCharsets.ISO_8859_1)
            .contains("\r\n\r\n")) {
          if (f.read(req) < 0) {
            return;
          }
        }
        String head = "HTTP/1.1 200 OK\r\nContent-Length: " + SIZE + "\r\nConnection: close\r\n\r\n";
        f.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
        f.write(ByteBuffer.wrap(BIG));
        f.shutdownOutput();
        ByteBuffer rest = ByteBuffer.allocate(1024);
        while (f.read(rest.clear()) >= 0) {
          // until the client closes
        }
      } catch (IOException e) {
        // client went away
      }
    }, "tap6-http");
    server.setDaemon(true);
    server.start();
    try {
      long t0 = System.nanoTime();
      Netns.Result r = Netns.run(90, "ip", "netns", "exec", NS, "curl", "-sS", "-g", "--max-time",
          "80", "http://[" + STACK6 + "]:8080/big");
      System.out.printf("kernel fetched %d MiB from the stack over IPv6 in %d ms%n", SIZE >> 20,
          (System.nanoTime() - t0) / 1_000_000);
      assertThat(r.stderr()).isEmpty();
      assertThat(r.exit()).isEqualTo(0);
      assertThat(sha256(r.stdout())).isEqualTo(sha256(BIG));
    } finally {
      l.close();
    }
  }

  @Test
  @Order(4)
  void theStackSendsToTheKernelOverTcp() throws Exception {
    Path script = resource("tcp_sink.py");
    Process sink = new ProcessBuilder("ip", "netns", "exec", NS, "python3", script.toString(),
        "9090", "60").redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(sink.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("listening");
      try (Flow f = tcp.connect(new InetSocketAddress(KERNEL6.toInetAddress(), 9090),
          Duration.ofSeconds(10))) {
        assertThat(f.localAddress().getAddress()).isEqualTo(STACK6.toInetAddress());
        f.write(ByteBuffer.wrap(BIG));
        f.shutdownOutput();
        assertThat(out.readLine()).isEqualTo(SIZE + " " + sha256(BIG));
      }
      assertThat(sink.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      sink.destroyForcibly();
      Files.delete(script);
    }
  }

  @Test
  @Order(5)
  void anAddressIsAutoconfiguredFromTheKernelSidesRouterAdvertisement() throws Exception {
    Netns.must("ip", "-n", NS, "-6", "addr", "add", "fd77:1::1/64", "dev", DEV, "nodad");
    Path script = resource("send_ra.py");
    Netns.Result r = Netns.run(30, "ip", "netns", "exec", NS, "python3", script.toString(), DEV,
        "fd77:1::/64", "0");
    Files.delete(script);
    assertThat(r.exit()).isEqualTo(0);
    Ipv6Address auto = new Ipv6Address(Ipv6Address.parse("fd77:1::").high(), stackLinkLocal.low());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!ip6.addresses().contains(new Ipv6Prefix(auto, 64)) && System.nanoTime() < deadline) {
      Thread.sleep(20); // duplicate address detection of the new address
    }
    assertThat(ip6.addresses()).contains(new Ipv6Prefix(auto, 64));
    assertThat(ip6.routers()).isEmpty(); // router lifetime 0: a prefix, no default route
    assertThat(kernelPing(auto.toString()).exit()).isEqualTo(0);
  }

  private static Netns.Result kernelPing(String target) throws Exception {
    Path script = resource("icmp6_ping.py");
    Netns.Result r = Netns.run(30, "ip", "netns", "exec", NS, "python3", script.toString(), target);
    Files.delete(script);
    System.out.println(r.out() + r.stderr());
    return r;
  }

  private static Path resource(String name) throws IOException {
    Path script = Files.createTempFile(name.replace(".py", ""), ".py");
    try (var in = TapIpv6IntegrationTest.class.getResourceAsStream("/" + name)) {
      Files.write(script, in.readAllBytes());
    }
    return script;
  }

  static String sha256(byte[] d) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(d));
  }
}
