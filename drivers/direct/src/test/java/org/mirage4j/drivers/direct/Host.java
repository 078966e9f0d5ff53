package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.util.List;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.Ipv6Prefix;
import org.mirage4j.api.Network;

/** A whole direct stack on one network, wired as the generated code would wire it. */
final class Host implements AutoCloseable {
  final Network network;
  final EthernetLayer eth;
  final ArpLayer arp;
  final StaticIpv4 ip;
  final IcmpLayer icmp;
  final UdpLayer udp;
  final TcpLayer tcp;
  final DirectStack stack;
  final Ipv4Address address;
  /** The IPv6 layer of a dual host, else null. */
  final Ipv6Layer ip6;

  Host(Network network, SimScheduler sim, String prefix, long seed) throws IOException {
    this(network, sim, prefix, null, true, seed);
  }

  /**
   * A dual host when {@code prefix6} is given ({@code ""}: link-local only), as {@code
   * default_stack} wires one.
   */
  Host(Network network, SimScheduler sim, String prefix, String prefix6, boolean acceptRa,
      long seed) throws IOException {
    this.network = network;
    Ipv4Prefix p = Ipv4Prefix.parse(prefix);
    address = p.address();
    eth = new EthernetLayer(network);
    arp = new ArpLayer(eth, sim);
    ip = new StaticIpv4(eth, arp, p, List.of());
    ip6 = prefix6 == null ? null : new Ipv6Layer(eth, sim, new SeededRandom(seed + 2),
        prefix6.isEmpty() ? List.of() : List.of(Ipv6Prefix.parse(prefix6)), List.of(), acceptRa);
    icmp = new IcmpLayer(ip);
    udp = ip6 == null ? new UdpLayer(ip, new SeededRandom(seed)) : new UdpLayer(ip, ip6, new SeededRandom(seed));
    tcp = ip6 == null ? new TcpLayer(ip, sim, new SeededRandom(seed + 1))
        : new TcpLayer(ip, ip6, sim, new SeededRandom(seed + 1));
    stack = new DirectStack(ip, ip6, icmp, udp, tcp);
    network.connect();
    eth.connect();
    arp.connect();
    ip.connect();
    if (ip6 != null) {
      ip6.connect();
    }
    icmp.connect();
    udp.connect();
    tcp.connect();
    stack.connect();
  }

  @Override
  public void close() throws IOException {
    stack.close();
    tcp.close();
    udp.close();
    icmp.close();
    if (ip6 != null) {
      ip6.close();
    }
    ip.close();
    arp.close();
    eth.close();
    network.close();
  }
}
