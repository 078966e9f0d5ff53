package org.mirage4j.drivers.http.direct;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.mirage4j.api.Device;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.Network;
import org.mirage4j.drivers.clock.SystemMonotonicClock;
import org.mirage4j.drivers.direct.ArpLayer;
import org.mirage4j.drivers.direct.DirectStack;
import org.mirage4j.drivers.direct.EthernetLayer;
import org.mirage4j.drivers.direct.IcmpLayer;
import org.mirage4j.drivers.direct.StaticIpv4;
import org.mirage4j.drivers.direct.TcpLayer;
import org.mirage4j.drivers.direct.UdpLayer;
import org.mirage4j.drivers.random.SecureRandomSource;

/** A direct stack on a network, constructed and connected in the order the generated wiring uses. */
final class DirectHost implements AutoCloseable {

  final DirectStack stack;
  private final List<Device> connected = new ArrayList<>();

  DirectHost(Network network, String prefix) throws IOException {
    SystemMonotonicClock clock = new SystemMonotonicClock();
    SecureRandomSource random = new SecureRandomSource();
    EthernetLayer eth = new EthernetLayer(network);
    ArpLayer arp = new ArpLayer(eth, clock);
    StaticIpv4 ip = new StaticIpv4(eth, arp, Ipv4Prefix.parse(prefix), List.of());
    IcmpLayer icmp = new IcmpLayer(ip);
    UdpLayer udp = new UdpLayer(ip, random);
    TcpLayer tcp = new TcpLayer(ip, clock, random);
    stack = new DirectStack(ip, icmp, udp, tcp);
    for (Device d : List.of(clock, random, network, eth, arp, ip, icmp, udp, tcp, stack)) {
      d.connect();
      connected.add(d);
    }
  }

  @Override
  public void close() throws IOException {
    List<Device> reverse = new ArrayList<>(connected);
    Collections.reverse(reverse);
    for (Device d : reverse) {
      d.close();
    }
  }
}
