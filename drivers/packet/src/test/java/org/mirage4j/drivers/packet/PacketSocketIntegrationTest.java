package org.mirage4j.drivers.packet;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.Flow;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.MonotonicClock;
import org.mirage4j.api.Network;
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
 * The direct stack on one end of a veth pair through AF_PACKET, the kernel on the other end; each
 * end in a network namespace this test creates (so no traffic leaves them).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PacketSocketIntegrationTest {

  static final String STACK_IP = "10.78.0.2";
  static final String KERNEL_IP = "10.78.0.1";
  final String nsStack = "m4j-pa-" + ProcessHandle.current().pid();
  final String nsKernel = "m4j-pb-" + ProcessHandle.current().pid();
  final String dev = "m4jv0";
  final String peer = "m4jv1";
  boolean created;
  final List<AutoCloseable> open = new java.util.ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    String why = Netns.unavailableReason();
    if (why != null) {
      System.out.println("SKIPPED PacketSocketIntegrationTest: " + why);
    }
    Assumptions.assumeTrue(why == null, why);
    Netns.must("ip", "netns", "add", nsStack);
    Netns.must("ip", "netns", "add", nsKernel);
    created = true;
    Netns.must("ip", "link", "add", dev, "netns", nsStack, "type", "veth", "peer", "name", peer,
        "netns", nsKernel);
    Netns.must("ip", "-n", nsStack, "link", "set", dev, "up");
    Netns.must("ip", "-n", nsKernel, "addr", "add", KERNEL_IP + "/24", "dev", peer);
    Netns.must("ip", "-n", nsKernel, "link", "set", peer, "up");
    Netns.must("ip", "-n", nsKernel, "link", "set", "lo", "up");
  }

  @AfterEach
  void tearDown() throws Exception {
    java.util.Collections.reverse(open);
    for (AutoCloseable c : open) {
      c.close();
    }
    if (created) {
      Netns.run(30, "ip", "netns", "del", nsStack);
      Netns.run(30, "ip", "netns", "del", nsKernel);
    }
  }

  private DirectStack stackOn(Network net) throws Exception {
    Netns.inside(nsStack, () -> {
      net.connect();
      return null;
    });
    open.add(net);
    MonotonicClock clock = System::nanoTime;
    RandomSource random = new java.security.SecureRandom()::nextBytes;
    EthernetLayer eth = new EthernetLayer(net);
    ArpLayer arp = new ArpLayer(eth, clock);
    StaticIpv4 ip = new StaticIpv4(eth, arp, Ipv4Prefix.parse(STACK_IP + "/24"), List.of());
    IcmpLayer icmp = new IcmpLayer(ip);
    UdpLayer udp = new UdpLayer(ip, random);
    TcpLayer tcp = new TcpLayer(ip, clock, random);
    DirectStack stack = new DirectStack(ip, icmp, udp, tcp);
    for (org.mirage4j.api.Device d : new org.mirage4j.api.Device[] {eth, arp, ip, icmp, udp, tcp, stack}) {
      d.connect();
      open.add(d);
    }
    return stack;
  }

  private void kernelPings() throws Exception {
    Assumptions.assumeTrue(Netns.has("python3"), "python3 is needed to send ICMP echo from the namespace");
    Path script = Files.createTempFile("icmp_ping", ".py");
    try (var in = getClass().getResourceAsStream("/icmp_ping.py")) {
      Files.write(script, in.readAllBytes());
    }
    Netns.Result r = Netns.run(30, "ip", "netns", "exec", nsKernel, "python3", script.toString(), STACK_IP);
    Files.delete(script);
    System.out.println(r.out() + r.stderr());
    assertThat(r.exit()).isEqualTo(0);
  }

  @Test
  void pingAndHttpFetchOverVeth() throws Exception {
    PacketSocketNetwork net = new PacketSocketNetwork(dev);
    DirectStack stack = stackOn(net);
    String vethMac = Netns.run(10, "ip", "netns", "exec", nsStack, "cat", "/sys/class/net/" + dev + "/address")
        .out().trim();
    assertThat(net.mac().toString()).isEqualTo(vethMac);
    assertThat(net.mtu()).isEqualTo(1500);
    assertThat(stack.icmp().ping(Ipv4Address.parse(KERNEL_IP), Duration.ofSeconds(3))).isPresent();
    kernelPings();

    Assumptions.assumeTrue(Netns.has("curl"), "curl is needed in the namespace");
    byte[] body = new byte[5 << 20];
    new Random(3).nextBytes(body);
    TcpListener l = stack.tcp().listen(80, 4);
    open.add(l);
    Thread server = new Thread(() -> {
      try (Flow f = l.accept()) {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        StringBuilder req = new StringBuilder();
        while (!req.toString().contains("\r\n\r\n")) {
          buf.clear();
          int n = f.read(buf);
          if (n < 0) {
            return;
          }
          req.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
        }
        f.write(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        f.write(ByteBuffer.wrap(body));
        f.shutdownOutput();
        while (f.read(buf.clear()) >= 0) {
          // until the client closes
        }
      } catch (IOException e) {
        // client gone
      }
    });
    server.setDaemon(true);
    server.start();
    Netns.Result r = Netns.run(60, "ip", "netns", "exec", nsKernel, "curl", "-sS", "--max-time", "50",
        "http://" + STACK_IP + "/");
    assertThat(r.stderr()).isEmpty();
    assertThat(r.exit()).isEqualTo(0);
    assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(r.stdout())))
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
  }

  @Test
  void netfrontBindsTheGuestInterfaceItIsGiven() throws Exception {
    NetfrontNetwork net = new NetfrontNetwork("net0", dev);
    stackOn(net);
    assertThat(net.networkName()).isEqualTo("net0");
    assertThat(net.interfaceName()).isEqualTo(dev);
    kernelPings();
  }

  @Test
  void unknownInterfaceFailsClearly() {
    PacketSocketNetwork net = new PacketSocketNetwork("m4j-none0");
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, net::connect);
    assertThat(e).hasMessageThat().contains("m4j-none0");
  }
}
