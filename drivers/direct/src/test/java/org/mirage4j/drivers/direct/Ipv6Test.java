package org.mirage4j.drivers.direct;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.Flow;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.Ipv6Prefix;
import org.mirage4j.api.TcpListener;
import org.mirage4j.api.UdpSocket;
import org.mirage4j.drivers.direct.ipv6.Neighbours;

/** Two dual stacks on one switch, in virtual time: IPv6 addresses, ping, TCP and UDP. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Ipv6Test {

  static final Ipv6Address A6 = Ipv6Address.parse("fd00::1");
  static final Ipv6Address B6 = Ipv6Address.parse("fd00::2");
  /** The link-local addresses of MACs 02:00:00:00:00:01 and 02:00:00:00:00:02 (modified EUI-64). */
  static final Ipv6Address A_LL = Ipv6Address.parse("fe80::ff:fe00:1");
  static final Ipv6Address B_LL = Ipv6Address.parse("fe80::ff:fe00:2");

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private Lan lan;

  @AfterEach
  void tearDown() throws IOException {
    pool.shutdownNow();
    if (lan != null) {
      lan.close();
    }
  }

  private void dualLan(long seed) throws IOException {
    lan = new Lan(seed, "fd00::1/64", "fd00::2/64");
    Await.until("addresses after DAD", () -> lan.a.ip6.addresses().size() == 2
        && lan.b.ip6.addresses().size() == 2);
  }

  @Test
  void addressesAreUsableOnceDuplicateAddressDetectionPassed() throws Exception {
    dualLan(61);
    assertThat(lan.a.ip6.addresses()).containsExactly(
        new Ipv6Prefix(A_LL, 64), Ipv6Prefix.parse("fd00::1/64")).inOrder();
    assertThat(lan.a.ip6.duplicateCount()).isEqualTo(0);
    // the stack reports both families, IPv4 first
    assertThat(lan.a.stack.addresses()).containsExactly(InetAddress.getByName("10.0.0.1"),
        A_LL.toInetAddress(), A6.toInetAddress()).inOrder();
    // DAD took about a second of virtual time, nothing real
    assertThat(lan.sim.nanoTime()).isGreaterThan(Neighbours.RETRANS_TIMER_NANOS);
    assertThat(lan.a.ip6.source(B6)).hasValue(A6);
    assertThat(lan.a.ip6.source(B_LL)).hasValue(A_LL);
    assertThat(lan.a.ip6.source(Ipv6Address.parse("2001:db8::1"))).hasValue(A6);
  }

  @Test
  void pingWorksBothWaysOverGlobalAndLinkLocalAddresses() throws Exception {
    dualLan(62);
    Optional<Duration> rtt = lan.a.ip6.ping(B6, Duration.ofSeconds(3));
    assertThat(rtt).isPresent();
    assertThat(rtt.get()).isAtLeast(Duration.ofMillis(2)); // two 1 ms crossings at least
    assertThat(lan.a.ip6.neighbourState(B6)).hasValue(Neighbours.State.REACHABLE);
    assertThat(lan.b.ip6.ping(A6, Duration.ofSeconds(3))).isPresent();
    assertThat(lan.a.ip6.ping(B_LL, Duration.ofSeconds(3))).isPresent();
    assertThat(lan.b.ip6.ping(A_LL, Duration.ofSeconds(3))).isPresent();
  }

  @Test
  void pingOfAnAbsentNeighbourTimesOutAndTheEntryGoes() throws Exception {
    dualLan(63);
    Ipv6Address absent = Ipv6Address.parse("fd00::99");
    assertThat(lan.a.ip6.ping(absent, Duration.ofSeconds(5))).isEmpty();
    // three multicast solicitations a second apart, then the entry is deleted
    Await.until("incomplete entry gone", () -> lan.a.ip6.neighbourState(absent).isEmpty());
  }

  @Test
  void noRouteWithoutARouterForAnOffLinkDestination() throws Exception {
    dualLan(64);
    Ipv6Address far = Ipv6Address.parse("2001:db8:77::1");
    assertThrows(NoRouteToHostException.class, () -> lan.a.ip6.ping(far, Duration.ofSeconds(1)));
    assertThrows(NoRouteToHostException.class, () -> lan.a.tcp.connect(
        new InetSocketAddress(far.toInetAddress(), 80), Duration.ofSeconds(1)));
  }

  @Test
  void tcpCarriesAMegabyteEachWayOverIpv6() throws Exception {
    dualLan(65);
    exchange(new InetSocketAddress(B6.toInetAddress(), 8080), 1 << 20, 1 << 20);
  }

  @Test
  void tcpOverIpv6SurvivesLossAndReordering() throws Exception {
    dualLan(66);
    lan.sw.loss = 0.02;
    lan.sw.reorder = 0.05;
    exchange(new InetSocketAddress(B6.toInetAddress(), 8080), 1 << 20, 256 << 10);
  }

  @Test
  void aListenerTakesConnectionsOfBothFamilies() throws Exception {
    dualLan(67);
    TcpListener l = lan.b.tcp.listen(7, 4);
    for (InetAddress to : new InetAddress[] {lan.b.address.toInetAddress(), B6.toInetAddress(),
        B_LL.toInetAddress()}) {
      Future<InetSocketAddress> peer = pool.submit(() -> {
        try (Flow f = l.accept()) {
          ByteBuffer b = ByteBuffer.allocate(16);
          f.read(b);
          b.flip();
          f.write(b);
          f.shutdownOutput();
          return f.remoteAddress();
        }
      });
      try (Flow c = lan.a.tcp.connect(new InetSocketAddress(to, 7), Duration.ofSeconds(5))) {
        c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(TcpTest.readAll(c)).isEqualTo(new byte[] {1, 2, 3});
        assertThat(c.localAddress().getAddress().getClass()).isEqualTo(to.getClass());
        assertThat(c.remoteAddress().getAddress()).isEqualTo(to);
      }
      assertThat(peer.get(10, TimeUnit.SECONDS).getAddress().getClass()).isEqualTo(to.getClass());
    }
  }

  @Test
  void udpDatagramsOfBothFamiliesReachOneSocketAndLargeOnesAreFragmented() throws Exception {
    dualLan(68);
    UdpSocket server = lan.b.udp.bind(5353);
    UdpSocket client = lan.a.udp.bind(0);
    byte[] big = TcpTest.data(7, 8000);
    client.send(new InetSocketAddress(B6.toInetAddress(), 5353), ByteBuffer.wrap(big));
    ByteBuffer in = ByteBuffer.allocate(9000);
    InetSocketAddress from = server.receive(in);
    assertThat(from.getAddress()).isEqualTo(A6.toInetAddress());
    assertThat(from.getPort()).isEqualTo(client.port());
    assertThat(in.position()).isEqualTo(8000);
    assertThat(TcpTest.sha256(java.util.Arrays.copyOf(in.array(), 8000))).isEqualTo(TcpTest.sha256(big));
    client.send(new InetSocketAddress(lan.b.address.toInetAddress(), 5353),
        ByteBuffer.wrap(new byte[] {9}));
    in.clear();
    assertThat(server.receive(in).getAddress()).isEqualTo(lan.a.address.toInetAddress());
    server.send(from, ByteBuffer.wrap(new byte[] {4, 2}));
    in.clear();
    assertThat(client.receive(in).getAddress()).isEqualTo(B6.toInetAddress());
    assertThat(lan.b.ip6.reassemblyCount()).isEqualTo(0);
  }

  @Test
  void aStackWithoutIpv6SaysSo() throws Exception {
    lan = new Lan(69);
    UdpSocket s = lan.a.udp.bind(0);
    assertThrows(NoRouteToHostException.class,
        () -> s.send(new InetSocketAddress(B6.toInetAddress(), 53), ByteBuffer.wrap(new byte[1])));
    assertThrows(NoRouteToHostException.class, () -> lan.a.tcp.connect(
        new InetSocketAddress(B6.toInetAddress(), 53), Duration.ofSeconds(1)));
  }

  private void exchange(InetSocketAddress server, int up, int down) throws Exception {
    byte[] toServer = TcpTest.data(11, up);
    byte[] toClient = TcpTest.data(12, down);
    TcpListener l = lan.b.tcp.listen(server.getPort(), 4);
    Future<byte[]> got = pool.submit(() -> {
      try (Flow f = l.accept()) {
        Future<?> w = pool.submit(() -> {
          TcpTest.writeAll(f, toClient);
          f.shutdownOutput();
          return null;
        });
        byte[] r = TcpTest.readAll(f);
        w.get();
        return r;
      }
    });
    try (Flow c = lan.a.tcp.connect(server, Duration.ofSeconds(10))) {
      Future<?> w = pool.submit(() -> {
        TcpTest.writeAll(c, toServer);
        c.shutdownOutput();
        return null;
      });
      byte[] back = TcpTest.readAll(c);
      w.get();
      assertThat(TcpTest.sha256(back)).isEqualTo(TcpTest.sha256(toClient));
    }
    assertThat(TcpTest.sha256(got.get(60, TimeUnit.SECONDS))).isEqualTo(TcpTest.sha256(toServer));
    l.close();
  }
}
