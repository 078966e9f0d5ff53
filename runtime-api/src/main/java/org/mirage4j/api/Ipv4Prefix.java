package org.mirage4j.api;

/**
 * An address with its network prefix ({@code 10.0.0.2/24}): the value of an {@code ipv4-prefix} key.
 *
 * @param address the host's address
 * @param length the prefix length, 0 to 32
 */
public record Ipv4Prefix(Ipv4Address address, int length) {

  /** Validates the prefix length. */
  public Ipv4Prefix {
    if (address == null) {
      throw new IllegalArgumentException("address must not be null");
    }
    if (length < 0 || length > 32) {
      throw new IllegalArgumentException("a prefix length is 0 to 32, not " + length);
    }
  }

  /**
   * Parses {@code a.b.c.d/n}.
   *
   * @throws IllegalArgumentException naming the expected form
   */
  public static Ipv4Prefix parse(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("expected an IPv4 prefix like 10.0.0.2/24, got '" + text + "'");
    }
    Ipv4Address address;
    try {
      address = Ipv4Address.parse(text.substring(0, slash));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected an IPv4 prefix like 10.0.0.2/24, got '" + text + "'");
    }
    String len = text.substring(slash + 1);
    if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(len) > 32) {
      throw new IllegalArgumentException(
          "expected an IPv4 prefix like 10.0.0.2/24 (length 0 to 32), got '" + text + "'");
    }
    return new Ipv4Prefix(address, Integer.parseInt(len));
  }

  /** The netmask, e.g. 255.255.255.0 for /24. */
  public Ipv4Address netmask() {
    return new Ipv4Address(length == 0 ? 0 : -1 << (32 - length));
  }

  /** The network address (host bits cleared). */
  public Ipv4Address network() {
    return new Ipv4Address(address.bits() & netmask().bits());
  }

  /** The directed broadcast address of the network. */
  public Ipv4Address broadcast() {
    return new Ipv4Address(address.bits() | ~netmask().bits());
  }

  /** True if {@code other} is on this network. */
  public boolean contains(Ipv4Address other) {
    int mask = netmask().bits();
    return (other.bits() & mask) == (address.bits() & mask);
  }

  @Override
  public String toString() {
    return address + "/" + length;
  }
}
