package org.mirage4j.api;

/**
 * An IPv6 address with its prefix length ({@code 2001:db8::2/64}): the value of an {@code
 * ipv6-prefix} key.
 *
 * @param address the host's address
 * @param length the prefix length, 0 to 128
 */
public record Ipv6Prefix(Ipv6Address address, int length) {

  /** Validates the prefix length. */
  public Ipv6Prefix {
    if (address == null) {
      throw new IllegalArgumentException("address must not be null");
    }
    if (length < 0 || length > 128) {
      throw new IllegalArgumentException("an IPv6 prefix length is 0 to 128, not " + length);
    }
  }

  /**
   * Parses {@code address/length}.
   *
   * @throws IllegalArgumentException naming the expected form
   */
  public static Ipv6Prefix parse(String text) {
    int slash = text == null ? -1 : text.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException(
          "expected an IPv6 prefix like 2001:db8::2/64, got '" + text + "'");
    }
    Ipv6Address address;
    try {
      address = Ipv6Address.parse(text.substring(0, slash));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "expected an IPv6 prefix like 2001:db8::2/64, got '" + text + "'");
    }
    String len = text.substring(slash + 1);
    if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(len) > 128) {
      throw new IllegalArgumentException(
          "expected an IPv6 prefix like 2001:db8::2/64 (length 0 to 128), got '" + text + "'");
    }
    return new Ipv6Prefix(address, Integer.parseInt(len));
  }

  /** The network address (host bits cleared). */
  public Ipv6Address network() {
    return new Ipv6Address(address.high() & maskHigh(), address.low() & maskLow());
  }

  /** True if {@code other} is on this network. */
  public boolean contains(Ipv6Address other) {
    return ((other.high() ^ address.high()) & maskHigh()) == 0
        && ((other.low() ^ address.low()) & maskLow()) == 0;
  }

  private long maskHigh() {
    return length == 0 ? 0 : length >= 64 ? -1L : -1L << (64 - length);
  }

  private long maskLow() {
    return length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
  }

  @Override
  public String toString() {
    return address + "/" + length;
  }
}
