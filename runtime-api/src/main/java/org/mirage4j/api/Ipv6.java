package org.mirage4j.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The IPv6 layer (RFC 8200) with what it cannot do without: ICMPv6 (RFC 4443), neighbour
 * discovery (RFC 4861) and address autoconfiguration (RFC 4862), as MirageOS's {@code ipv6}.
 */
public interface Ipv6 extends Device {

  /** Next-header value of TCP. */
  int TCP = 6;
  /** Next-header value of UDP. */
  int UDP = 17;
  /** Next-header value of ICMPv6. */
  int ICMPV6 = 58;

  /** Receives the payload of datagrams of one upper-layer protocol. */
  @FunctionalInterface
  interface Listener {
    /** Called with a datagram's upper-layer payload; the buffer is only valid during the call. */
    void onPacket(Ipv6Address source, Ipv6Address destination, ByteBuffer payload);
  }

  /**
   * The unicast addresses this host holds now, with their prefixes: the link-local one, static
   * ones and those autoconfigured from router advertisements, once duplicate address detection
   * has passed.
   */
  List<Ipv6Prefix> addresses();

  /** The default routers known now (static, or learnt from router advertisements). */
  List<Ipv6Address> routers();

  /** The largest upper-layer payload of one unfragmented datagram on the link. */
  int mtu();

  /** The source address for datagrams to {@code destination}, if this host has a usable one. */
  Optional<Ipv6Address> source(Ipv6Address destination);

  /** Sends {@code payload} from {@code source} (one of {@link #addresses()}) to {@code destination}. */
  void send(Ipv6Address source, Ipv6Address destination, int nextHeader, ByteBuffer payload)
      throws IOException;

  /** Registers the listener for one upper-layer protocol, replacing any earlier one. */
  void listen(int nextHeader, Listener listener);

  /**
   * Sends one ICMPv6 echo request and waits for its reply.
   *
   * @return the round-trip time, or empty if no reply came within {@code timeout}
   */
  Optional<Duration> ping(Ipv6Address destination, Duration timeout) throws IOException;
}
