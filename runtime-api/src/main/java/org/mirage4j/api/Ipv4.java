package org.mirage4j.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/** The IPv4 layer (RFC 791): addressing, routing to the gateway, fragmentation and reassembly. */
public interface Ipv4 extends Device {

  /** Protocol number of ICMP. */
  int ICMP = 1;
  /** Protocol number of TCP. */
  int TCP = 6;
  /** Protocol number of UDP. */
  int UDP = 17;

  /** Receives the payload of datagrams of one protocol. */
  @FunctionalInterface
  interface Listener {
    /** Called with a reassembled datagram's payload; the buffer is only valid during the call. */
    void onPacket(Ipv4Address source, Ipv4Address destination, ByteBuffer payload);
  }

  /** This host's address and network (for DHCP: once a lease is held). */
  Ipv4Prefix prefix();

  /** The default gateway, if any. */
  Optional<Ipv4Address> gateway();

  /** The largest payload that fits one unfragmented datagram. */
  int mtu();

  /** Sends {@code payload} to {@code destination}, fragmenting when needed. */
  void send(Ipv4Address destination, int protocol, ByteBuffer payload) throws IOException;

  /** Registers the listener for one protocol number, replacing any earlier one. */
  void listen(int protocol, Listener listener);
}
