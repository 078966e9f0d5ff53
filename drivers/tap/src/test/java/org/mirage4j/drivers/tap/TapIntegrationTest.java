package org.mirage4j.drivers.tap;

import org.mirage4j.testing.netns.Netns;
import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
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
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.MonotonicClock;
import org.mirage4j.api.RandomSource;
import org.mirage4j.api.TcpListener;
import org.mirage4j.drivers.direct.ArpLayer;
import org.mirage4j.drivers.direct.DirectStack;
import org.mirage4j.drivers.direct.EthernetLayer;
import org.mirage4j.drivers.direct.IcmpLayer;
import org.mirage4j.drivers.direct.StaticIpv4;
import org.mirage4j.drivers.direct.TcpLayer;
import org.mirage4j.drivers.direct.UdpLayer;

/**
 * The direct stack on a TAP device inside a network namespace this test creates: the kernel on the
 * other side pings it and fetches over HTTP with curl, also through 1% loss added by tc netem.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TapIntegrationTest {

  static final String NS = "m4j-tap-" + ProcessHandle.current().pid();
  static final String DEV = "m4jtap0";
  static final String KERNEL_IP = "10.77.0.1";
  static final String STACK_IP = "10.77.0.2";

  static TapNetwork tap;
  static LossyNetwork lossy;
  static EthernetLayer eth;
  static ArpLayer arp;
  static StaticIpv4 ip;
  static IcmpLayer icmp;
  static UdpLayer udp;
  static TcpLayer tcp;
  static DirectStack stack;
  static Thread server;
  static TcpListener listener;
  static final byte[] SMALL = "<html><body>mirage4j on a TAP device</body></html>\n".getBytes(StandardCharsets.UTF_8);
  static final byte[] BIG = new byte[100 << 20];

  @BeforeAll
  static void setUp() throws Exception {
    String why = Netns.unavailableReason();
    if (why != null) {
      System.out.println("SKIPPED TapIntegrationTest: " + why);
    }
    Assumptions.assumeTrue(why == null, why);
    new Random(7).nextBytes(BIG);
    Netns.must("ip", "netns", "add", NS);
    tap = new TapNetwork(DEV);
    Netns.inside(NS, () -> {
      tap.connect();
      return null;
    });
    Netns.must("ip", "-n", NS, "link", "set", "lo", "up");
    Netns.must("ip", "-n", NS, "addr", "add", KERNEL_IP + "/24", "dev", DEV);
    Netns.must("ip", "-n", NS, "link", "set", DEV, "up");
    MonotonicClock clock = System::nanoTime;
    java.security.SecureRandom sr = new java.security.SecureRandom();
    RandomSource random = sr::nextBytes;
    lossy = new LossyNetwork(tap);
    eth = new EthernetLayer(lossy);
    arp = new ArpLayer(eth, clock);
    ip = new StaticIpv4(eth, arp, Ipv4Prefix.parse(STACK_IP + "/24"), List.of(Ipv4Address.parse(KERNEL_IP)));
    icmp = new IcmpLayer(ip);
    udp = new UdpLayer(ip, random);
    tcp = new TcpLayer(ip, clock, random);
    stack = new DirectStack(ip, icmp, udp, tcp);
    eth.connect();
    arp.connect();
    ip.connect();
    icmp.connect();
    udp.connect();
    tcp.connect();
    stack.connect();
    listener = stack.tcp().listen(8080, 16);
    server = new Thread(TapIntegrationTest::serve, "tap-http");
    server.setDaemon(true);
    server.start();
  }

  /** A minimal HTTP/1.0 responder written against Flow: "/" is small, "/big" is 100 MiB. */
  static void serve() {
    while (true) {
      Flow f;
      try {
        f = listener.accept();
      } catch (IOException e) {
        return;
      }
      Thread t = new Thread(() -> {
        try (f) {
          StringBuilder req = new StringBuilder();
          ByteBuffer buf = ByteBuffer.allocate(2048);
          while (!req.toString().contains("\r\n\r\n")) {
            buf.clear();
            int n = f.read(buf);
            if (n < 0) {
              return;
            }
            req.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
          }
          byte[] body = req.toString().startsWith("GET /big ") ? BIG : SMALL;
          String head = "HTTP/1.1 200 OK\r\nContent-Length: " + body.length
              + "\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n";
          f.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
          f.write(ByteBuffer.wrap(body));
          f.shutdownOutput();
          // drain until the client closes
          buf.clear();
          while (f.read(buf) >= 0) {
            buf.clear();
          }
        } catch (IOException e) {
          // client went away
        }
      });
      t.setDaemon(true);
      t.start();
    }
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (listener != null) {
      listener.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {stack, tcp, udp, icmp, ip, arp, eth, tap}) {
      if (c != null) {
        c.close();
      }
    }
    Netns.run(30, "ip", "netns", "del", NS);
  }

  @Test
  @Order(1)
  void stackPingsTheKernel() throws Exception {
    assertThat(tap.mtu()).isEqualTo(1500);
    assertThat(tap.mac().isMulticast()).isFalse();
    assertThat(icmp.ping(Ipv4Address.parse(KERNEL_IP), Duration.ofSeconds(3))).isPresent();
  }

  @Test
  @Order(2)
  void kernelPingsTheStack() throws Exception {
    Assumptions.assumeTrue(Netns.has("python3"), "python3 is needed to send ICMP echo from the namespace");
    Path script = Files.createTempFile("icmp_ping", ".py");
    try (var in = TapIntegrationTest.class.getResourceAsStream("/icmp_ping.py")) {
      Files.write(script, in.readAllBytes());
    }
    Netns.Result r = Netns.run(30, "ip", "netns", "exec", NS, "python3", script.toString(), STACK_IP);
    Files.delete(script);
    System.out.println(r.out() + r.stderr());
    assertThat(r.exit()).isEqualTo(0);
  }

  @Test
  @Order(3)
  void curlFetchesAPage() throws Exception {
    Assumptions.assumeTrue(Netns.has("curl"), "curl is needed in the namespace");
    Netns.Result r = Netns.run(60, "ip", "netns", "exec", NS, "curl", "-sS", "--max-time", "30",
        "http://" + STACK_IP + ":8080/");
    assertThat(r.stderr()).isEmpty();
    assertThat(r.exit()).isEqualTo(0);
    assertThat(r.stdout()).isEqualTo(SMALL);
  }

  @Test
  @Order(4)
  void bulkFetchThroughOnePercentLossKeepsItsDigest() throws Exception {
    Assumptions.assumeTrue(Netns.has("curl"), "curl is needed in the namespace");
    // tc netem where the kernel has it, otherwise the same 1% dropped by a seeded filter on our side.
    Netns.Result q = Netns.run(30, "ip", "netns", "exec", NS, "tc", "qdisc", "add", "dev", DEV, "root",
        "netem", "loss", "1%");
    boolean netem = q.exit() == 0;
    if (!netem) {
      System.out.println("tc netem unavailable (" + q.stderr().trim() + "): dropping 1% in the test instead");
      lossy.loss = 0.01;
    }
    long retransmitsBefore = tcp.retransmitCount();
    try {
      long t0 = System.nanoTime();
      Netns.Result r = Netns.run(160, "ip", "netns", "exec", NS, "curl", "-sS", "--max-time", "150",
          "http://" + STACK_IP + ":8080/big");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("100 MiB through 1%% loss (%s): %d ms, %d retransmissions by the stack,"
              + " %d frames dropped by the test%n", netem ? "netem" : "seeded filter", ms,
          tcp.retransmitCount() - retransmitsBefore, lossy.dropped.get());
      assertThat(r.stderr()).isEmpty();
      assertThat(r.exit()).isEqualTo(0);
      assertThat(r.stdout().length).isEqualTo(BIG.length);
      assertThat(sha256(r.stdout())).isEqualTo(sha256(BIG));
      assertThat(tcp.retransmitCount()).isGreaterThan(retransmitsBefore);
    } finally {
      lossy.loss = 0;
      if (netem) {
        Netns.run(30, "ip", "netns", "exec", NS, "tc", "qdisc", "del", "dev", DEV, "root");
      }
    }
  }

  @Test
  @Order(5)
  void theStackHttpServerRunsUnchangedOnTheDirectStack() throws Exception {
    Assumptions.assumeTrue(Netns.has("curl"), "curl is needed in the namespace");
    org.mirage4j.drivers.http.StackHttpServer http = new org.mirage4j.drivers.http.StackHttpServer(stack, 8081);
    http.connect();
    Thread t = new Thread(() -> {
      try {
        http.serve(req -> org.mirage4j.api.http.HttpResponse.of(200, "text/html", SMALL));
      } catch (IOException e) {
        // closed
      }
    }, "stack-http-server");
    t.setDaemon(true);
    t.start();
    try {
      Netns.Result r = Netns.run(60, "ip", "netns", "exec", NS, "curl", "-sS", "--max-time", "30",
          "-D", "-", "http://" + STACK_IP + ":8081/index.html");
      assertThat(r.stderr()).isEmpty();
      assertThat(r.exit()).isEqualTo(0);
      assertThat(r.out()).startsWith("HTTP/1.1 200");
      assertThat(r.out()).endsWith(new String(SMALL, StandardCharsets.UTF_8));
    } finally {
      http.close();
    }
  }

  static String sha256(byte[] d) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(d));
  }
}
