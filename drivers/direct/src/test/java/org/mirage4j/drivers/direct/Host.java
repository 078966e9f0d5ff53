package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.util.List;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;
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

  Host(Network network, SimScheduler sim, String prefix, long seed) throws IOException {
    this.network = network;
    Ipv4Prefix p = Ipv4Prefix.parse(prefix);
    address = p.address();
    eth = new EthernetLayer(network);
    arp = new ArpLayer(eth, sim);
    ip = new StaticIpv4(eth, arp, p, List.of());
    icmp = new IcmpLayer(ip);
    udp = new UdpLayer(ip, new SeededRandom(seed));
    tcp = new TcpLayer(ip, sim, new SeededRandom(seed + 1));
    stack = new DirectStack(ip, icmp, udp, tcp);
    network.connect();
    eth.connect();
    arp.connect();
    ip.connect();
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
    ip.close();
    arp.close();
    eth.close();
    network.close();
  }
}
