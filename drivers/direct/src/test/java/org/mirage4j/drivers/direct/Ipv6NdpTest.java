package org.mirage4j.drivers.direct;

import static com.google.common.truth.Truth.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.Ipv6Prefix;
import org.mirage4j.api.UdpSocket;
import org.mirage4j.drivers.direct.ipv6.AddressTable;
import org.mirage4j.drivers.direct.ipv6.Icmpv6;
import org.mirage4j.drivers.direct.ipv6.Neighbours;

/**
 * Neighbour discovery and autoconfiguration against a scripted peer: the test writes ICMPv6
 * messages byte by byte and reads what the stack sends, in manual virtual time.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Ipv6NdpTest {

  static final long US = 0x020000000002L;
  static final long PEER = 0x020000000009L;
  static final long SECOND = 1_000_000_000L;
  static final Ipv6Address US_LL = Ipv6Address.parse("fe80::ff:fe00:2");
  static final Ipv6Address US6 = Ipv6Address.parse("fd00::2");
  static final Ipv6Address ROUTER = Ipv6Address.parse("fe80::1");
  static final Ipv6Address PEER6 = Ipv6Address.parse("fd00::9");

  SimScheduler sim = new SimScheduler();
  CapturingNetwork net = new CapturingNetwork(US);
  Host host;

  /** What the stack sent, parsed: IPv6 header fields and the ICMPv6 type (or -1). */
  record Out(long dstMac, Ipv6Address src, Ipv6Address dst, int nextHeader, int hops, int type,
      byte[] payload) {}

  void start(boolean acceptRa) throws Exception {
    host = new Host(net, sim, "10.0.0.2/24", "fd00::2/64", acceptRa, 5);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (host != null) {
      host.close();
    }
  }

  void inject(long srcMac, long dstMac, byte[] ipv6) {
    host.eth.input(ByteBuffer.wrap(Frames.ethernet(dstMac, srcMac, 0x86dd, ipv6)));
  }

  List<Out> sent() {
    List<Out> out = new ArrayList<>();
    for (byte[] f : net.drain()) {
      ByteBuffer b = ByteBuffer.wrap(f);
      if ((b.getShort(12) & 0xffff) != 0x86dd) {
        continue;
      }
      long dstMac = 0;
      for (int i = 0; i < 6; i++) {
        dstMac = (dstMac << 8) | (f[i] & 0xff);
      }
      int nh = f[20] & 0xff;
      byte[] payload = java.util.Arrays.copyOfRange(f, 54, 54 + (b.getShort(18) & 0xffff));
      out.add(new Out(dstMac, new Ipv6Address(b.getLong(22), b.getLong(30)),
          new Ipv6Address(b.getLong(38), b.getLong(46)), nh, f[21] & 0xff,
          nh == 58 ? payload[0] & 0xff : -1, payload));
    }
    return out;
  }

  static byte[] neighbourSolicitation(Ipv6Address src, Ipv6Address dst, Ipv6Address target,
      long sllao) {
    ByteBuffer b = ByteBuffer.allocate(20 + (sllao != 0 ? 8 : 0));
    b.putInt(0).putLong(target.high()).putLong(target.low());
    if (sllao != 0) {
      b.put((byte) 1).put((byte) 1).put(Frames6.mac(sllao));
    }
    return Frames6.ipv6(src, dst, 58, 255, Frames6.icmp6(src, dst, 135, 0, b.array()));
  }

  static byte[] neighbourAdvertisement(Ipv6Address src, Ipv6Address dst, Ipv6Address target,
      int flags, long tlla) {
    ByteBuffer b = ByteBuffer.allocate(28);
    b.putInt(flags).putLong(target.high()).putLong(target.low());
    b.put((byte) 2).put((byte) 1).put(Frames6.mac(tlla));
    return Frames6.ipv6(src, dst, 58, 255, Frames6.icmp6(src, dst, 136, 0, b.array()));
  }

  /** A router advertisement from {@link #ROUTER} with SLLAO, MTU and one prefix option. */
  static byte[] routerAdvertisement(int hops, Ipv6Address src, int routerLifetime, String prefix,
      int prefixFlags, long valid, long preferred, int mtu) {
    ByteBuffer b = ByteBuffer.allocate(12 + 8 + 8 + 32);
    b.put((byte) 64).put((byte) 0).putShort((short) routerLifetime).putInt(0).putInt(0);
    b.put((byte) 1).put((byte) 1).put(Frames6.mac(PEER));
    b.put((byte) 5).put((byte) 1).putShort((short) 0).putInt(mtu);
    Ipv6Prefix p = Ipv6Prefix.parse(prefix);
    b.put((byte) 3).put((byte) 4).put((byte) p.length()).put((byte) prefixFlags)
        .putInt((int) valid).putInt((int) preferred).putInt(0)
        .putLong(p.address().high()).putLong(p.address().low());
    return Frames6.ipv6(src, Ipv6Address.ALL_NODES, 58, hops,
        Frames6.icmp6(src, Ipv6Address.ALL_NODES, 134, 0, b.array()));
  }

  @Test
  void connectProbesEachAddressThenSolicitsRouters() throws Exception {
    start(true);
    sim.advance(2 * SECOND);
    List<Out> out = sent();
    List<Ipv6Address> probed = new ArrayList<>();
    boolean solicitedRouters = false;
    for (Out o : out) {
      if (o.type() == Icmpv6.NEIGHBOUR_SOLICITATION) {
        assertThat(o.src()).isEqualTo(Ipv6Address.UNSPECIFIED);
        assertThat(o.hops()).isEqualTo(255);
        assertThat(o.dst()).isEqualTo(Ipv6Address.parse("ff02::1:ff00:2"));
        assertThat(o.dstMac()).isEqualTo(0x3333_ff00_0002L);
        assertThat(o.payload().length).isEqualTo(24); // no source link-layer option from ::
        probed.add(Ipv6Address.of(java.util.Arrays.copyOfRange(o.payload(), 8, 24)));
      }
      if (o.type() == Icmpv6.ROUTER_SOLICITATION) {
        solicitedRouters = true;
        assertThat(o.dst()).isEqualTo(Ipv6Address.ALL_ROUTERS);
        assertThat(o.dstMac()).isEqualTo(0x3333_0000_0002L);
      }
    }
    assertThat(probed).containsExactly(US_LL, US6);
    assertThat(solicitedRouters).isTrue();
    sim.advance(2 * SECOND);
    assertThat(host.ip6.addresses()).containsExactly(new Ipv6Prefix(US_LL, 64),
        Ipv6Prefix.parse("fd00::2/64"));
    // three solicitations at most, four seconds apart, when no router answers
    sim.advance(20 * SECOND);
    long rs = sent().stream().filter(o -> o.type() == Icmpv6.ROUTER_SOLICITATION).count();
    assertThat(rs).isEqualTo(2);
  }

  @Test
  void anAdvertisementForATentativeAddressMakesItADuplicate() throws Exception {
    start(false);
    inject(PEER, 0x3333_0000_0001L,
        neighbourAdvertisement(ROUTER, Ipv6Address.ALL_NODES, US6, Icmpv6.NA_OVERRIDE, PEER));
    sim.advance(3 * SECOND);
    assertThat(host.ip6.addressState(US6)).hasValue(AddressTable.State.DUPLICATE);
    assertThat(host.ip6.addresses()).containsExactly(new Ipv6Prefix(US_LL, 64));
    assertThat(host.ip6.duplicateCount()).isEqualTo(1);
  }

  @Test
  void anotherNodeProbingTheSameTentativeAddressMakesItADuplicate() throws Exception {
    start(false);
    inject(PEER, 0x3333_ff00_0002L, neighbourSolicitation(Ipv6Address.UNSPECIFIED,
        US6.solicitedNode(), US6, 0));
    sim.advance(3 * SECOND);
    assertThat(host.ip6.addressState(US6)).hasValue(AddressTable.State.DUPLICATE);
    assertThat(host.ip6.addressState(US_LL)).hasValue(AddressTable.State.PREFERRED);
  }

  @Test
  void solicitationsAreAnsweredAndTheSolicitorIsLearnt() throws Exception {
    start(false);
    sim.advance(3 * SECOND);
    sent();
    inject(PEER, 0x3333_ff00_0002L, neighbourSolicitation(PEER6, US6.solicitedNode(), US6, PEER));
    List<Out> out = sent();
    assertThat(out).hasSize(1);
    Out na = out.get(0);
    assertThat(na.type()).isEqualTo(Icmpv6.NEIGHBOUR_ADVERTISEMENT);
    assertThat(na.dstMac()).isEqualTo(PEER);
    assertThat(na.src()).isEqualTo(US6);
    assertThat(na.dst()).isEqualTo(PEER6);
    assertThat(na.hops()).isEqualTo(255);
    ByteBuffer p = ByteBuffer.wrap(na.payload());
    assertThat(p.getInt(4)).isEqualTo(Icmpv6.NA_SOLICITED | Icmpv6.NA_OVERRIDE);
    assertThat(new Ipv6Address(p.getLong(8), p.getLong(16))).isEqualTo(US6);
    assertThat(p.get(24)).isEqualTo((byte) 2); // target link-layer address option: our MAC
    assertThat(java.util.Arrays.copyOfRange(na.payload(), 26, 32)).isEqualTo(Frames6.mac(US));
    assertThat(host.ip6.neighbourState(PEER6)).hasValue(Neighbours.State.DELAY);
    // DELAY, then a unicast probe, then, unanswered, the entry goes
    sim.advance(6 * SECOND);
    Out probe = sent().stream().filter(o -> o.type() == Icmpv6.NEIGHBOUR_SOLICITATION)
        .findFirst().orElseThrow();
    assertThat(probe.dst()).isEqualTo(PEER6);
    assertThat(probe.dstMac()).isEqualTo(PEER);
    sim.advance(5 * SECOND);
    assertThat(host.ip6.neighbourState(PEER6)).isEmpty();
  }

  @Test
  void aRouterAdvertisementGivesAnAddressARouteAndTheMtu() throws Exception {
    start(true);
    sim.advance(3 * SECOND);
    inject(PEER, 0x3333_0000_0001L,
        routerAdvertisement(255, ROUTER, 1800, "2001:db8:1::/64", 0xc0, 3600, 1800, 1400));
    sim.advance(3 * SECOND);
    Ipv6Address auto = Ipv6Address.parse("2001:db8:1::ff:fe00:2");
    assertThat(host.ip6.addresses()).contains(new Ipv6Prefix(auto, 64));
    assertThat(host.ip6.routers()).containsExactly(ROUTER);
    assertThat(host.ip6.mtu()).isEqualTo(1360);
    assertThat(host.ip6.source(Ipv6Address.parse("2001:db8:99::5"))).hasValue(auto);
    sent();
    UdpSocket s = host.udp.bind(0);
    s.send(new InetSocketAddress(Ipv6Address.parse("2001:db8:99::5").toInetAddress(), 53),
        ByteBuffer.wrap(new byte[] {1}));
    List<Out> out = sent();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).dstMac()).isEqualTo(PEER); // off-link: to the router, known from its RA
    assertThat(out.get(0).nextHeader()).isEqualTo(17);
    // on-link (L flag): resolved directly
    s.send(new InetSocketAddress(Ipv6Address.parse("2001:db8:1::77").toInetAddress(), 53),
        ByteBuffer.wrap(new byte[] {1}));
    Out ns = sent().get(0);
    assertThat(ns.type()).isEqualTo(Icmpv6.NEIGHBOUR_SOLICITATION);
    assertThat(ns.dst()).isEqualTo(Ipv6Address.parse("2001:db8:1::77").solicitedNode());
    assertThat(ns.src()).isEqualTo(auto);
  }

  @Test
  void addressesDeprecateAndExpireRoutersToo() throws Exception {
    start(true);
    sim.advance(3 * SECOND);
    inject(PEER, 0x3333_0000_0001L,
        routerAdvertisement(255, ROUTER, 30, "2001:db8:1::/64", 0xc0, 20, 10, 1500));
    Ipv6Address auto = Ipv6Address.parse("2001:db8:1::ff:fe00:2");
    sim.advance(3 * SECOND);
    assertThat(host.ip6.addressState(auto)).hasValue(AddressTable.State.PREFERRED);
    sim.advance(8 * SECOND);
    assertThat(host.ip6.addressState(auto)).hasValue(AddressTable.State.DEPRECATED);
    assertThat(host.ip6.addresses()).contains(new Ipv6Prefix(auto, 64)); // still valid
    sim.advance(10 * SECOND);
    assertThat(host.ip6.addressState(auto)).isEmpty();
    assertThat(host.ip6.routers()).containsExactly(ROUTER);
    sim.advance(10 * SECOND);
    assertThat(host.ip6.routers()).isEmpty();
  }

  @Test
  void aShortValidLifetimeCannotTakeAnAddressAwayAtOnce() throws Exception {
    start(true);
    sim.advance(3 * SECOND);
    inject(PEER, 0x3333_0000_0001L,
        routerAdvertisement(255, ROUTER, 1800, "2001:db8:1::/64", 0xc0, 100_000, 100_000, 1500));
    sim.advance(3 * SECOND);
    inject(PEER, 0x3333_0000_0001L,
        routerAdvertisement(255, ROUTER, 1800, "2001:db8:1::/64", 0xc0, 60, 60, 1500));
    sim.advance(600 * SECOND);
    Ipv6Address auto = Ipv6Address.parse("2001:db8:1::ff:fe00:2");
    assertThat(host.ip6.addressState(auto)).hasValue(AddressTable.State.DEPRECATED);
    sim.advance(7200 * SECOND); // RFC 4862 5.5.3 (e): two hours, not 60 s
    assertThat(host.ip6.addressState(auto)).isEmpty();
  }

  @Test
  void advertisementsFromOffTheLinkOrNotAskedForAreIgnored() throws Exception {
    start(true);
    sim.advance(3 * SECOND);
    inject(PEER, 0x3333_0000_0001L,
        routerAdvertisement(64, ROUTER, 1800, "2001:db8:1::/64", 0xc0, 3600, 1800, 1400));
    inject(PEER, 0x3333_0000_0001L, routerAdvertisement(255, Ipv6Address.parse("2001:db8::1"),
        1800, "2001:db8:2::/64", 0xc0, 3600, 1800, 1400));
    sim.advance(3 * SECOND);
    assertThat(host.ip6.routers()).isEmpty();
    assertThat(host.ip6.addresses()).hasSize(2);
    assertThat(host.ip6.mtu()).isEqualTo(1460);
    host.close();
    net = new CapturingNetwork(US);
    start(false);
    sim.advance(3 * SECOND);
    inject(PEER, 0x3333_0000_0001L,
        routerAdvertisement(255, ROUTER, 1800, "2001:db8:1::/64", 0xc0, 3600, 1800, 1400));
    sim.advance(3 * SECOND);
    assertThat(host.ip6.routers()).isEmpty();
    assertThat(sent().stream().filter(o -> o.type() == Icmpv6.ROUTER_SOLICITATION)).isEmpty();
  }

  @Test
  void unknownOptionsThatAskForItDiscardTheDatagram() throws Exception {
    start(false);
    sim.advance(3 * SECOND);
    learnPeer();
    for (int optionType : new int[] {0x1e, 0x80}) {
      byte[] echo = Frames6.icmp6(PEER6, US6, 128, 0, new byte[] {0, 1, 0, 1, 'h', 'i'});
      ByteBuffer b = ByteBuffer.allocate(8 + echo.length);
      b.put((byte) 58).put((byte) 0).put((byte) optionType).put((byte) 4).putInt(0).put(echo);
      inject(PEER, US, Frames6.ipv6(PEER6, US6, 60, 64, b.array()));
    }
    List<Out> out = sent();
    assertThat(out).hasSize(1); // type 0x1e is skipped; 0x80 means discard
    assertThat(out.get(0).type()).isEqualTo(Icmpv6.ECHO_REPLY);
  }

  @Test
  void aFragmentedEchoIsReassembledAndItsLargeReplyFragmented() throws Exception {
    start(false);
    sim.advance(3 * SECOND);
    learnPeer();
    byte[] data = TcpTest.data(3, 2000);
    ByteBuffer body = ByteBuffer.allocate(4 + data.length);
    body.putInt(0x0007_0001).put(data);
    byte[] echo = Frames6.icmp6(PEER6, US6, 128, 0, body.array());
    int cut = 1232;
    for (int part = 0; part < 2; part++) {
      int off = part == 0 ? 0 : cut;
      int len = part == 0 ? cut : echo.length - cut;
      ByteBuffer f = ByteBuffer.allocate(8 + len);
      f.put((byte) 58).put((byte) 0).putShort((short) (off | (part == 0 ? 1 : 0))).putInt(99)
          .put(echo, off, len);
      inject(PEER, US, Frames6.ipv6(PEER6, US6, 44, 64, f.array()));
      if (part == 0) {
        assertThat(host.ip6.reassemblyCount()).isEqualTo(1);
      }
    }
    List<Out> out = sent();
    assertThat(out).hasSize(2);
    assertThat(out.get(0).nextHeader()).isEqualTo(44);
    assertThat(out.get(1).nextHeader()).isEqualTo(44);
    assertThat(out.get(0).payload().length + out.get(1).payload().length)
        .isEqualTo(echo.length + 16);
    assertThat(host.ip6.reassemblyCount()).isEqualTo(0);
  }

  @Test
  void theNeighbourCacheAndWhatRoutersTeachAreBounded() throws Exception {
    start(true);
    sim.advance(3 * SECOND);
    for (int i = 0; i < 5000; i++) {
      Ipv6Address src = new Ipv6Address(0xfd00L << 48, 0x1000 + i);
      inject(PEER + i, 0x3333_ff00_0002L, neighbourSolicitation(src, US6.solicitedNode(), US6,
          PEER + 1 + i));
    }
    assertThat(host.ip6.neighbourCount()).isAtMost(Neighbours.MAX_ENTRIES);
    for (int i = 0; i < 100; i++) {
      inject(PEER, 0x3333_0000_0001L, routerAdvertisement(255, new Ipv6Address(0xfe80L << 48, 1 + i),
          1800, "2001:db8:" + Integer.toHexString(i + 1) + "::/64", 0xc0, 3600, 1800, 1500));
    }
    sim.advance(3 * SECOND);
    assertThat(host.ip6.addressCount()).isAtMost(2 + AddressTable.MAX_AUTOCONFIGURED);
    assertThat(host.ip6.learntRouteCount()).isAtMost(32);
    sim.advance(3 * Neighbours.STALE_LIFETIME_NANOS);
    assertThat(host.ip6.neighbourCount()).isAtMost(16); // the routers; stale entries swept
  }

  /** Makes the peer's address known (a solicitation with its link-layer address). */
  private void learnPeer() {
    inject(PEER, 0x3333_ff00_0002L, neighbourSolicitation(PEER6, US6.solicitedNode(), US6, PEER));
    sent();
  }

}
