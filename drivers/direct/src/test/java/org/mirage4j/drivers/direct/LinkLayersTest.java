package org.mirage4j.drivers.direct;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.UdpSocket;

/** Ethernet, ARP, IPv4, ICMP and UDP between two stacks, and reassembly limits. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkLayersTest {

  @Test
  void pingAnswersInVirtualTime() throws Exception {
    try (Lan lan = new Lan(21)) {
      Optional<Duration> rtt = lan.a.icmp.ping(lan.b.address, Duration.ofSeconds(2));
      assertThat(rtt).isPresent();
      // two switch crossings of 1 ms each, plus ARP the first time
      assertThat(rtt.get()).isAtLeast(Duration.ofMillis(2));
      Optional<Duration> again = lan.b.icmp.ping(lan.a.address, Duration.ofSeconds(2));
      assertThat(again).isPresent(); // B learnt A's MAC from A's request: no ARP round
      assertThat(again.get()).isAtLeast(Duration.ofMillis(2));
    }
  }

  @Test
  void pingOfAbsentHostTimesOut() throws Exception {
    try (Lan lan = new Lan(22)) {
      assertThat(lan.a.icmp.ping(Ipv4Address.parse("10.0.0.77"), Duration.ofSeconds(5))).isEmpty();
      assertThat(lan.a.arp.pendingCount()).isEqualTo(0);
    }
  }

  @Test
  void arpResolvesCachesAndExpires() throws Exception {
    try (Lan lan = new Lan(23)) {
      assertThat(lan.a.arp.resolve(lan.b.address, Duration.ofSeconds(3))).isEqualTo(lan.b.eth.mac());
      assertThat(lan.a.arp.cached(lan.b.address)).hasValue(lan.b.eth.mac());
      CountDownLatch later = new CountDownLatch(1);
      lan.sim.schedule(ArpLayer.ENTRY_LIFETIME_NANOS + 1_000_000_000L, later::countDown);
      later.await();
      assertThat(lan.a.arp.cached(lan.b.address)).isEmpty();
      assertThat(lan.a.arp.addresses()).containsExactly(lan.a.address);
    }
  }

  @Test
  void arpFailsForAbsentHost() throws Exception {
    try (Lan lan = new Lan(24)) {
      org.junit.jupiter.api.Assertions.assertThrows(java.net.NoRouteToHostException.class,
          () -> lan.a.arp.resolve(Ipv4Address.parse("10.0.0.99"), Duration.ofSeconds(10)));
    }
  }

  @Test
  void gratuitousArpOnConnect() throws Exception {
    SimScheduler sim = new SimScheduler();
    TestSwitch sw = new TestSwitch(sim, 1);
    sw.capture = true;
    sim.start(sw::quiescent);
    try (Host h = new Host(sw.port(0x020000000001L), sim, "10.0.0.1/24", 1)) {
      boolean seen = false;
      for (byte[] f : sw.captured) {
        ByteBuffer b = ByteBuffer.wrap(f);
        if (f.length >= 42 && (b.getShort(12) & 0xffff) == 0x0806 && b.getInt(28) == 0x0a000001
            && b.getInt(38) == 0x0a000001 && b.getShort(20) == 1) {
          seen = true;
        }
      }
      assertThat(seen).isTrue();
    } finally {
      sim.halt();
    }
  }

  @Test
  void udpDatagramsLargeOnesFragmented() throws Exception {
    try (Lan lan = new Lan(25)) {
      UdpSocket server = lan.b.udp.bind(5353);
      UdpSocket client = lan.a.udp.bind(0);
      assertThat(client.port()).isAtLeast(49152);
      byte[] big = new byte[8000];
      new Random(1).nextBytes(big);
      client.send(new InetSocketAddress(lan.b.address.toInetAddress(), 5353), ByteBuffer.wrap(big));
      ByteBuffer into = ByteBuffer.allocate(65536);
      InetSocketAddress from = server.receive(into);
      assertThat(from).isEqualTo(new InetSocketAddress(lan.a.address.toInetAddress(), client.port()));
      into.flip();
      byte[] got = new byte[into.remaining()];
      into.get(got);
      assertThat(got).isEqualTo(big);
      server.send(from, ByteBuffer.wrap(new byte[] {1, 2, 3}));
      ByteBuffer reply = ByteBuffer.allocate(10);
      client.receive(reply);
      assertThat(reply.position()).isEqualTo(3);
      org.junit.jupiter.api.Assertions.assertThrows(java.net.BindException.class, () -> lan.b.udp.bind(5353));
      server.close();
      client.close();
      assertThat(lan.b.udp.socketCount()).isEqualTo(0);
    }
  }

  @Test
  void reassemblyOutOfOrderAndLimits() throws Exception {
    SimScheduler sim = new SimScheduler();
    SinkNetwork net = new SinkNetwork(0x020000000002L);
    try (Host h = new Host(net, sim, "10.0.0.2/24", 3)) {
      UdpSocket sock = h.udp.bind(9);
      byte[] udp = Frames.udp(0x0a000001, 0x0a000002, 1000, 9, new byte[3000]);
      // three fragments, delivered last-first
      int[][] parts = {{2400, udp.length - 2400, 0}, {1200, 1200, 1}, {0, 1200, 1}};
      for (int[] p : parts) {
        byte[] piece = java.util.Arrays.copyOfRange(udp, p[0], p[0] + p[1]);
        h.eth.input(ByteBuffer.wrap(Frames.ethernet(0x020000000002L, 0x020000000001L, 0x0800,
            Frames.ipv4(0x0a000001, 0x0a000002, 17, 77, (p[2] == 1 ? 0x2000 : 0) | (p[0] / 8), piece))));
      }
      ByteBuffer into = ByteBuffer.allocate(4000);
      sock.receive(into);
      assertThat(into.position()).isEqualTo(3000);
      assertThat(h.ip.reassemblyCount()).isEqualTo(0);
      // 200 datagrams that never complete: the count stays bounded and times out.
      for (int i = 0; i < 200; i++) {
        h.eth.input(ByteBuffer.wrap(Frames.ethernet(0x020000000002L, 0x020000000001L, 0x0800,
            Frames.ipv4(0x0a000001, 0x0a000002, 17, 1000 + i, 0x2000, new byte[1480]))));
        assertThat(h.ip.reassemblyCount()).isAtMost(Ipv4Base.MAX_REASSEMBLIES);
        assertThat(h.ip.reassemblyBytes()).isAtMost(Ipv4Base.MAX_REASSEMBLY_BYTES);
      }
      assertThat(h.ip.reassemblyCount()).isEqualTo(Ipv4Base.MAX_REASSEMBLIES);
      sim.advance(Ipv4Base.REASSEMBLY_TIMEOUT_NANOS + 1);
      assertThat(h.ip.reassemblyCount()).isEqualTo(0);
      assertThat(h.ip.reassemblyBytes()).isEqualTo(0);
      sock.close();
    }
  }

  @Test
  void multicastFramesAreTakenOnlyForGroupsJoined() throws Exception {
    CapturingNetwork net = new CapturingNetwork(0x020000000002L);
    EthernetLayer eth = new EthernetLayer(net);
    List<Long> got = new ArrayList<>();
    eth.listen(0x86dd, (src, dst, payload) -> got.add(dst.bits()));
    long group = 0x3333_0000_0001L;
    byte[] toGroup = Frames.ethernet(group, 0x020000000009L, 0x86dd, new byte[40]);
    byte[] toOther = Frames.ethernet(0x3333_ff00_0002L, 0x020000000009L, 0x86dd, new byte[40]);
    eth.input(ByteBuffer.wrap(toGroup));
    assertThat(got).isEmpty(); // not joined: dropped, as before
    MacAddress g = new MacAddress(group);
    eth.joinMulticast(g);
    eth.joinMulticast(g);
    eth.input(ByteBuffer.wrap(toGroup));
    eth.input(ByteBuffer.wrap(toOther));
    assertThat(got).containsExactly(group);
    eth.leaveMulticast(g);
    eth.input(ByteBuffer.wrap(toGroup)); // joined twice, left once: still joined
    assertThat(got).containsExactly(group, group);
    eth.leaveMulticast(g);
    eth.input(ByteBuffer.wrap(toGroup));
    assertThat(got).hasSize(2);
    assertThat(eth.multicastGroups()).isEmpty();
    assertThat(eth.droppedFrames()).isEqualTo(3);
    assertThrows(IllegalArgumentException.class,
        () -> eth.joinMulticast(new MacAddress(0x020000000001L)));
  }
}
