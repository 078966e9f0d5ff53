package org.mirage4j.drivers.direct;

import java.net.InetAddress;
import java.util.List;
import org.mirage4j.api.Icmp;
import org.mirage4j.api.Ipv4;
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
  private final Icmp icmp;
  private final Udp udp;
  private final Tcp tcp;

  /** The stack made of these layers. */
  public DirectStack(Ipv4 ipv4, Icmp icmp, Udp udp, Tcp tcp) {
    this.ipv4 = ipv4;
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

  @Override
  public List<InetAddress> addresses() {
    return List.of(ipv4.prefix().address().toInetAddress());
  }
}
