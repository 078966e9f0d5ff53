package org.mirage4j.api;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** An IPv4 or an IPv6 address. */
public sealed interface IpAddress permits Ipv4Address, Ipv6Address {

  /** The address's octets, most significant first (4 or 16). */
  byte[] octets();

  /** The JDK's view of this address. */
  InetAddress toInetAddress();

  /**
   * From a JDK address: an {@link Inet4Address} gives an {@link Ipv4Address}, an {@link
   * Inet6Address} an {@link Ipv6Address} (its scope, if any, is dropped).
   */
  static IpAddress of(InetAddress address) {
    if (address instanceof Inet4Address a) {
      return Ipv4Address.of(a);
    }
    return Ipv6Address.of(address.getAddress());
  }
}
