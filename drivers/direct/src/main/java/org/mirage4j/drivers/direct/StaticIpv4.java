package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.util.List;
import org.mirage4j.api.Arp;
import org.mirage4j.api.Ethernet;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;

/**
 * IPv4 (RFC 791) with a fixed address and gateways, typically from runtime keys. On connect it
 * registers with the Ethernet layer and hands its address to ARP, which announces it.
 */
public final class StaticIpv4 extends Ipv4Base {

  /**
   * @param ethernet the link
   * @param arp resolves next hops
   * @param prefix this host's address and network
   * @param gateways default routers, first preferred; empty for a link-local-only host
   */
  public StaticIpv4(Ethernet ethernet, Arp arp, Ipv4Prefix prefix, List<Ipv4Address> gateways) {
    super(ethernet, arp);
    this.prefix = prefix;
    this.gateways = List.copyOf(gateways);
  }

  @Override
  public void connect() throws IOException {
    ethernet.listen(Ethernet.IPV4, (src, dst, payload) -> input(payload));
    arp.setAddresses(List.of(prefix.address()));
    System.getLogger("ipv4").log(System.Logger.Level.INFO, () -> "static address " + prefix);
  }
}
