package org.mirage4j.drivers.direct;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mirage4j.api.Icmp;
import org.mirage4j.api.Ipv4;
import org.mirage4j.api.Ipv6;
import org.mirage4j.api.Ipv6Prefix;
import org.mirage4j.api.Stack;
import org.mirage4j.api.Tcp;
import org.mirage4j.api.Udp;

/**
 * The direct stack as a {@link Stack}: the same interface as the host socket stack, so the HTTP
 * server and applications run on it unchanged. Its layers are devices of their own, connected and
 * closed by the wiring before and after it.
 */
public final class DirectStack implements Stack {

  private final Ipv4 ipv4;
  private final Ipv6 ipv6;
  private final Icmp icmp;
  private final Udp udp;
  private final Tcp tcp;

  /** The stack made of these layers. */
  public DirectStack(Ipv4 ipv4, Icmp icmp, Udp udp, Tcp tcp) {
    this(ipv4, null, icmp, udp, tcp);
  }

  /**
   * The dual stack (MirageOS's {@code stackv4v6}) of these layers: {@code udp} and {@code tcp} run
   * over both IPv4 and IPv6.
   */
  public DirectStack(Ipv4 ipv4, Ipv6 ipv6, Icmp icmp, Udp udp, Tcp tcp) {
    this.ipv4 = ipv4;
    this.ipv6 = ipv6;
    this.icmp = icmp;
    this.udp = udp;
    this.tcp = tcp;
  }

  @Override
  public Tcp tcp() {
    return tcp;
  }

  @Override
  public Udp udp() {
    return udp;
  }

  /** ICMP of this stack (for pinging). */
  public Icmp icmp() {
    return icmp;
  }

  /** The IPv4 layer of this stack. */
  public Ipv4 ipv4() {
    return ipv4;
  }

  /** The IPv6 layer of this stack, if it is dual. */
  public Optional<Ipv6> ipv6() {
    return Optional.ofNullable(ipv6);
  }

  /** The IPv4 address, then the IPv6 addresses (link-local first) once they are usable. */
  @Override
  public List<InetAddress> addresses() {
    List<InetAddress> all = new ArrayList<>();
    all.add(ipv4.prefix().address().toInetAddress());
    if (ipv6 != null) {
      for (Ipv6Prefix p : ipv6.addresses()) {
        all.add(p.address().toInetAddress());
      }
    }
    return List.copyOf(all);
  }
}
