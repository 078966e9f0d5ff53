package org.mirage4j.api;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address: the value of an {@code ipv4-address} key.
 *
 * @param bits the address as an unsigned 32-bit number in an {@code int}, network order
 */
public record Ipv4Address(int bits) implements IpAddress, Comparable<Ipv4Address> {

  /** 0.0.0.0. */
  public static final Ipv4Address ANY = new Ipv4Address(0);
  /** 255.255.255.255. */
  public static final Ipv4Address BROADCAST = new Ipv4Address(-1);

  /**
   * Parses dotted-quad notation ({@code 10.0.0.2}).
   *
   * @throws IllegalArgumentException naming the expected form
   */
  public static Ipv4Address parse(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("expected an IPv4 address like 10.0.0.2, got '" + text + "'");
    }
    int v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("expected an IPv4 address like 10.0.0.2, got '" + text + "'");
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        throw new IllegalArgumentException(
            "expected an IPv4 address like 10.0.0.2, got '" + text + "' (" + octet + " is over 255)");
      }
      v = (v << 8) | octet;
    }
    return new Ipv4Address(v);
  }

  /** From 4 octets, most significant first. */
  public static Ipv4Address of(byte[] octets) {
    if (octets.length != 4) {
      throw new IllegalArgumentException("an IPv4 address has 4 octets, not " + octets.length);
    }
    return new Ipv4Address(
        ((octets[0] & 0xff) << 24) | ((octets[1] & 0xff) << 16) | ((octets[2] & 0xff) << 8) | (octets[3] & 0xff));
  }

  /** From a JDK address. */
  public static Ipv4Address of(Inet4Address address) {
    return of(address.getAddress());
  }

  /** The 4 octets, most significant first. */
  @Override
  public byte[] octets() {
    return new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
  }

  /** The JDK's view of this address. */
  @Override
  public Inet4Address toInetAddress() {
    try {
      return (Inet4Address) InetAddress.getByAddress(octets());
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // cannot happen for 4 octets
    }
  }

  @Override
  public int compareTo(Ipv4Address other) {
    return Integer.compareUnsigned(bits, other.bits);
  }

  @Override
  public String toString() {
    return (bits >>> 24) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
  }
}
