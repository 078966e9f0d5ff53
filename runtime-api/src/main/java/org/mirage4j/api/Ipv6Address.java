package org.mirage4j.api;

import java.net.Inet6Address;
import java.net.UnknownHostException;

/**
 * An IPv6 address (RFC 4291): the value of an {@code ipv6-address} key.
 *
 * @param high the first 64 bits, most significant first
 * @param low the last 64 bits
 */
public record Ipv6Address(long high, long low) implements IpAddress, Comparable<Ipv6Address> {

  /** {@code ::}, the unspecified address. */
  public static final Ipv6Address UNSPECIFIED = new Ipv6Address(0, 0);
  /** {@code ::1}. */
  public static final Ipv6Address LOOPBACK = new Ipv6Address(0, 1);
  /** {@code ff02::1}, all nodes on the link. */
  public static final Ipv6Address ALL_NODES = new Ipv6Address(0xff02L << 48, 1);
  /** {@code ff02::2}, all routers on the link. */
  public static final Ipv6Address ALL_ROUTERS = new Ipv6Address(0xff02L << 48, 2);

  private static final String FORM = "expected an IPv6 address like 2001:db8::1, got '";

  /**
   * Parses the text forms of RFC 4291 2.2: eight groups of 1 to 4 hexadecimal digits, at most one
   * {@code ::} standing for one or more groups of zeros, and optionally a dotted-quad IPv4
   * address as the last 32 bits ({@code ::ffff:10.0.0.1}). Zone indices ({@code %eth0}) are not
   * accepted.
   *
   * @throws IllegalArgumentException naming the expected form
   */
  public static Ipv6Address parse(String text) {
    if (text == null || text.isEmpty() || text.length() > 45) {
      throw new IllegalArgumentException(FORM + text + "'");
    }
    int[] groups = new int[8];
    String s = text;
    int tailGroups = 0;
    int[] v4 = null;
    int lastColon = s.lastIndexOf(':');
    if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
      try {
        Ipv4Address a = Ipv4Address.parse(s.substring(lastColon + 1));
        v4 = new int[] {a.bits() >>> 16, a.bits() & 0xffff};
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(FORM + text + "'");
      }
      s = s.substring(0, lastColon + 1);
      if (!s.endsWith("::")) {
        s = s.substring(0, s.length() - 1); // the ':' before the IPv4 part separates, not groups
      }
      tailGroups = 2;
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      throw new IllegalArgumentException(FORM + text + "' (only one '::' is allowed)");
    }
    String[] head;
    String[] tail;
    if (gap >= 0) {
      head = split(s.substring(0, gap), text);
      tail = split(s.substring(gap + 2), text);
    } else {
      head = split(s, text);
      tail = new String[0];
    }
    int given = head.length + tail.length + tailGroups;
    if (gap < 0 ? given != 8 : given > 7) {
      throw new IllegalArgumentException(FORM + text + "' (an IPv6 address has 8 groups)");
    }
    for (int i = 0; i < head.length; i++) {
      groups[i] = group(head[i], text);
    }
    int tailStart = 8 - tailGroups - tail.length;
    for (int i = 0; i < tail.length; i++) {
      groups[tailStart + i] = group(tail[i], text);
    }
    if (v4 != null) {
      groups[6] = v4[0];
      groups[7] = v4[1];
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 4; i++) {
      hi = (hi << 16) | groups[i];
      lo = (lo << 16) | groups[i + 4];
    }
    return new Ipv6Address(hi, lo);
  }

  private static String[] split(String part, String text) {
    if (part.isEmpty()) {
      return new String[0];
    }
    String[] g = part.split(":", -1);
    for (String x : g) {
      if (x.isEmpty()) {
        throw new IllegalArgumentException(FORM + text + "'");
      }
    }
    return g;
  }

  private static int group(String g, String text) {
    if (g.length() > 4) {
      throw new IllegalArgumentException(FORM + text + "' (a group has at most 4 hex digits)");
    }
    int v = 0;
    for (int i = 0; i < g.length(); i++) {
      int d = Character.digit(g.charAt(i), 16);
      if (d < 0) {
        throw new IllegalArgumentException(FORM + text + "'");
      }
      v = (v << 4) | d;
    }
    return v;
  }

  /** From 16 octets, most significant first. */
  public static Ipv6Address of(byte[] octets) {
    if (octets.length != 16) {
      throw new IllegalArgumentException("an IPv6 address has 16 octets, not " + octets.length);
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (octets[i] & 0xff);
      lo = (lo << 8) | (octets[i + 8] & 0xff);
    }
    return new Ipv6Address(hi, lo);
  }

  /** From a JDK address (its scope, if any, is dropped). */
  public static Ipv6Address of(Inet6Address address) {
    return of(address.getAddress());
  }

  /** The 16 octets, most significant first. */
  @Override
  public byte[] octets() {
    byte[] o = new byte[16];
    for (int i = 0; i < 8; i++) {
      o[i] = (byte) (high >>> (56 - 8 * i));
      o[i + 8] = (byte) (low >>> (56 - 8 * i));
    }
    return o;
  }

  /** The JDK's view of this address (an {@link Inet6Address} even for IPv4-mapped addresses). */
  @Override
  public Inet6Address toInetAddress() {
    try {
      return Inet6Address.getByAddress(null, octets(), null);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // cannot happen for 16 octets
    }
  }

  /** Group {@code i} (0 to 7) of the address. */
  public int group(int i) {
    long half = i < 4 ? high : low;
    return (int) (half >>> (48 - 16 * (i & 3))) & 0xffff;
  }

  /** {@code ::}. */
  public boolean isUnspecified() {
    return high == 0 && low == 0;
  }

  /** {@code ::1}. */
  public boolean isLoopback() {
    return high == 0 && low == 1;
  }

  /** In {@code ff00::/8}. */
  public boolean isMulticast() {
    return (high >>> 56) == 0xff;
  }

  /** In {@code fe80::/10}. */
  public boolean isLinkLocal() {
    return (high >>> 54) == (0xfe80L >>> 6);
  }

  /** An IPv4-mapped address, {@code ::ffff:0:0/96}. */
  public boolean isIpv4Mapped() {
    return high == 0 && (low >>> 32) == 0xffffL;
  }

  /** The solicited-node multicast address of this address, {@code ff02::1:ffXX:XXXX} (RFC 4291 2.7.1). */
  public Ipv6Address solicitedNode() {
    return new Ipv6Address(0xff02L << 48, 0x0000_0001_ff00_0000L | (low & 0xff_ffffL));
  }

  @Override
  public int compareTo(Ipv6Address other) {
    int c = Long.compareUnsigned(high, other.high);
    return c != 0 ? c : Long.compareUnsigned(low, other.low);
  }

  /** The canonical text form of RFC 5952 ({@code 2001:db8::1}, {@code ::ffff:10.0.0.1}). */
  @Override
  public String toString() {
    if (isIpv4Mapped()) {
      return "::ffff:" + new Ipv4Address((int) low);
    }
    int bestStart = -1;
    int bestLen = 1; // a single zero group is not shortened (RFC 5952 4.2.2)
    for (int i = 0; i < 8; ) {
      if (group(i) != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && group(j) == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(group(i)));
    }
    return sb.toString();
  }
}
