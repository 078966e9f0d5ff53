package org.mirage4j.drivers.direct;

import static com.google.common.truth.Truth.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.TcpListener;
import org.mirage4j.drivers.direct.ipv6.AddressTable;
import org.mirage4j.drivers.direct.ipv6.Neighbours;
import org.mirage4j.drivers.direct.ipv6.Routes;

/** Random and mutated IPv6 frames against one dual stack: nothing raised, state bounded. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class Ipv6RobustnessTest {

  static final int FRAMES = 1_000_000;
  static final long OUR_MAC = 0x020000000002L;
  static final long PEER_MAC = 0x020000000009L;
  static final Ipv6Address US6 = Ipv6Address.parse("fd00::2");
  static final Ipv6Address US_LL = Ipv6Address.parse("fe80::ff:fe00:2");

  @Test
  void randomAndMutatedIpv6FramesRaiseNothingAndStayBounded() throws Exception {
    SimScheduler sim = new SimScheduler();
    SinkNetwork net = new SinkNetwork(OUR_MAC);
    Host h = new Host(net, sim, "10.0.0.2/24", "fd00::2/64", true, 77);
    sim.advance(TimeUnit.SECONDS.toNanos(3)); // duplicate address detection
    TcpListener web = h.tcp.listen(80, 16);
    var udpSock = h.udp.bind(53);
    Random r = new Random(4242);
    int maxNeighbours = 0;
    int maxAddresses = 0;
    int maxRoutes = 0;
    int maxReasm = 0;
    int maxReasmBytes = 0;
    int maxHalfOpen = 0;
    for (int i = 0; i < FRAMES; i++) {
      byte[] f = frame(r);
      int mode = r.nextInt(4);
      if (mode == 1 || mode == 2) {
        int flips = 1 + r.nextInt(4);
        for (int k = 0; k < flips; k++) {
          int at = 14 + r.nextInt(f.length - 14);
          f[at] ^= (byte) (1 << r.nextInt(8));
        }
        if (mode == 2) {
          Frames6.fixChecksums(f);
        }
      } else if (mode == 3) {
        byte[] g = new byte[r.nextBoolean() ? r.nextInt(f.length + 1) : f.length + r.nextInt(64)];
        System.arraycopy(f, 0, g, 0, Math.min(f.length, g.length));
        f = g;
      }
      h.eth.input(ByteBuffer.wrap(f)); // must not throw
      if (i % 2000 == 1999) {
        sim.advance(TimeUnit.MILLISECONDS.toNanos(500));
        maxNeighbours = Math.max(maxNeighbours, h.ip6.neighbourCount());
        maxAddresses = Math.max(maxAddresses, h.ip6.addressCount());
        maxRoutes = Math.max(maxRoutes, h.ip6.learntRouteCount());
        maxReasm = Math.max(maxReasm, h.ip6.reassemblyCount());
        maxReasmBytes = Math.max(maxReasmBytes, h.ip6.reassemblyBytes());
        maxHalfOpen = Math.max(maxHalfOpen, h.tcp.halfOpenCount());
      }
    }
    System.out.printf("ipv6 fuzz: %d frames, max neighbours %d, addresses %d, learnt routes %d,"
            + " reassembly %d (%d bytes), half-open %d; dropped by IPv6 %d, frames sent %d%n",
        FRAMES, maxNeighbours, maxAddresses, maxRoutes, maxReasm, maxReasmBytes, maxHalfOpen,
        h.ip6.droppedCount(), net.sent.get());
    assertThat(maxNeighbours).isAtMost(Neighbours.MAX_ENTRIES);
    assertThat(maxNeighbours).isGreaterThan(0); // the fuzzer did reach neighbour discovery
    assertThat(maxAddresses).isAtMost(2 + AddressTable.MAX_AUTOCONFIGURED);
    assertThat(maxAddresses).isGreaterThan(2); // and autoconfiguration
    assertThat(maxRoutes).isAtMost(Routes.MAX_PREFIXES + Routes.MAX_ROUTERS);
    assertThat(maxReasm).isAtMost(Ipv6Layer.MAX_REASSEMBLIES);
    assertThat(maxReasm).isGreaterThan(0);
    assertThat(maxReasmBytes).isAtMost(Ipv6Layer.MAX_REASSEMBLY_BYTES);
    assertThat(maxHalfOpen).isAtMost(TcpLayer.MAX_HALF_OPEN_PER_LISTENER);
    assertThat(maxHalfOpen).isGreaterThan(0); // and TCP over IPv6
    assertThat(sim.failures.get()).isEqualTo(0L);
    // our own addresses survive whatever the fuzzer claimed
    assertThat(h.ip6.addressState(US6)).hasValue(AddressTable.State.PREFERRED);
    // Left alone for two virtual hours (a router may set a reachable time of up to an hour),
    // every transient state drains away.
    for (int k = 0; k < 720; k++) {
      sim.advance(TimeUnit.SECONDS.toNanos(10));
    }
    assertThat(h.ip6.neighbourCount()).isEqualTo(0);
    assertThat(h.ip6.reassemblyCount()).isEqualTo(0);
    assertThat(h.tcp.halfOpenCount()).isEqualTo(0);
    assertThat(h.tcp.connectionCount()).isEqualTo(0);
    web.close();
    udpSock.close();
    h.close();
  }

  private static byte[] frame(Random r) {
    Ipv6Address peer = r.nextInt(3) == 0
        ? new Ipv6Address(0xfe80L << 48, r.nextInt(300))
        : new Ipv6Address(0xfd00L << 48, 0x100 + r.nextInt(300));
    long peerMac = PEER_MAC + r.nextInt(4);
    Ipv6Address dst = switch (r.nextInt(4)) {
      case 0 -> Ipv6Address.ALL_NODES;
      case 1 -> US6.solicitedNode();
      case 2 -> US_LL;
      default -> US6;
    };
    long dstMac = dst.isMulticast() ? 0x3333_0000_0000L | (dst.low() & 0xffff_ffffL) : OUR_MAC;
    byte[] ip;
    switch (r.nextInt(10)) {
      case 0 -> { // neighbour solicitation
        Ipv6Address src = r.nextInt(8) == 0 ? Ipv6Address.UNSPECIFIED : peer;
        ip = Ipv6NdpTest.neighbourSolicitation(src, dst, r.nextBoolean() ? US6 : peer,
            r.nextInt(3) == 0 ? 0 : peerMac);
      }
      case 1 -> ip = Ipv6NdpTest.neighbourAdvertisement(peer, dst,
          r.nextInt(4) == 0 ? US6 : peer, r.nextInt(), peerMac);
      case 2 -> ip = Ipv6NdpTest.routerAdvertisement(255, new Ipv6Address(0xfe80L << 48, 1 + r.nextInt(40)),
          r.nextInt(300), "2001:db8:" + Integer.toHexString(r.nextInt(40)) + "::/" + (r.nextInt(4) == 0 ? 48 : 64),
          r.nextInt(256), r.nextInt(300), r.nextInt(300), 1200 + r.nextInt(400));
      case 3 -> { // echo request
        byte[] body = new byte[4 + r.nextInt(200)];
        r.nextBytes(body);
        ip = Frames6.ipv6(peer, dst, 58, 64, Frames6.icmp6(peer, dst, 128, 0, body));
      }
      case 4 -> { // UDP
        byte[] data = new byte[r.nextInt(200)];
        r.nextBytes(data);
        ByteBuffer u = ByteBuffer.allocate(8 + data.length);
        u.putShort((short) r.nextInt(65536)).putShort((short) (r.nextBoolean() ? 53 : r.nextInt(65536)))
            .putShort((short) (8 + data.length)).putShort((short) 0).put(data);
        ip = Frames6.ipv6(peer, dst, 17, 64, Frames6.withChecksum(peer, dst, 17, u.array(), 6));
      }
      case 5, 6 -> { // TCP: SYNs to the listener, or random flags
        boolean syn = r.nextBoolean();
        byte[] data = new byte[syn ? 0 : r.nextInt(200)];
        r.nextBytes(data);
        byte[] opts = syn ? new byte[] {2, 4, 5, (byte) 0xa0, 1, 3, 3, (byte) r.nextInt(16)} : new byte[0];
        byte[] seg = Frames.tcp(0, 0, 1024 + r.nextInt(1000), r.nextInt(4) == 0 ? r.nextInt(65536) : 80,
            r.nextInt(), r.nextInt(), syn ? 0x02 : r.nextInt(64), r.nextInt(65536), opts, data);
        ip = Frames6.ipv6(peer, dst, 6, 64, Frames6.withChecksum(peer, dst, 6, seg, 16));
      }
      case 7, 8 -> { // a fragment
        byte[] data = new byte[8 * (1 + r.nextInt(150))];
        r.nextBytes(data);
        int off = (r.nextInt(8000) / 8) * 8;
        ByteBuffer fr = ByteBuffer.allocate(8 + data.length);
        fr.put((byte) (r.nextBoolean() ? 17 : 58)).put((byte) 0)
            .putShort((short) (off | (r.nextInt(3) > 0 ? 1 : 0))).putInt(r.nextInt(64)).put(data);
        ip = Frames6.ipv6(peer, dst, 44, 64, fr.array());
      }
      default -> { // a chain of extension headers of random types and lengths
        byte[] rest = new byte[r.nextInt(120)];
        r.nextBytes(rest);
        int[] kinds = {0, 43, 44, 60, 59, 58, 6, 17, r.nextInt(256)};
        ip = Frames6.ipv6(peer, dst, kinds[r.nextInt(kinds.length)], r.nextBoolean() ? 255 : 64, rest);
      }
    }
    return Frames.ethernet(dstMac, peerMac, 0x86dd, ip);
  }
}
