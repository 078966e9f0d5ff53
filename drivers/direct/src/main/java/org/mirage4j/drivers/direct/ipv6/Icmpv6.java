package org.mirage4j.drivers.direct.ipv6;

import java.nio.ByteBuffer;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.MacAddress;
import org.mirage4j.drivers.direct.wire.Checksum;

/**
 * ICMPv6 messages (RFC 4443) and those of neighbour discovery (RFC 4861 4): their types, options,
 * checksum, and builders for the ones this stack sends.
 */
public final class Icmpv6 {
  private Icmpv6() {}

  public static final int ECHO_REQUEST = 128;
  public static final int ECHO_REPLY = 129;
  public static final int ROUTER_SOLICITATION = 133;
  public static final int ROUTER_ADVERTISEMENT = 134;
  public static final int NEIGHBOUR_SOLICITATION = 135;
  public static final int NEIGHBOUR_ADVERTISEMENT = 136;

  /** Option types (RFC 4861 4.6). */
  public static final int OPT_SOURCE_LINK_ADDRESS = 1;
  public static final int OPT_TARGET_LINK_ADDRESS = 2;
  public static final int OPT_PREFIX_INFORMATION = 3;
  public static final int OPT_MTU = 5;

  /** Neighbour advertisement flags (RFC 4861 4.4). */
  public static final int NA_ROUTER = 0x8000_0000;
  public static final int NA_SOLICITED = 0x4000_0000;
  public static final int NA_OVERRIDE = 0x2000_0000;

  /** The sum of the ICMPv6 pseudo-header for a message of {@code length} bytes. */
  public static long pseudo(Ipv6Address src, Ipv6Address dst, int length) {
    return Checksum.pseudo6(src.high(), src.low(), dst.high(), dst.low(), 58, length);
  }

  /** Whether the message (all of {@code m}'s remaining bytes, from index 0) has a valid checksum. */
  public static boolean checksumOk(ByteBuffer m, Ipv6Address src, Ipv6Address dst) {
    int n = m.remaining();
    return Checksum.finish(Checksum.add(pseudo(src, dst, n), m, 0, n)) == 0;
  }

  /** Fills in the checksum of a message built at index 0 of {@code m} (capacity = its length). */
  public static ByteBuffer seal(ByteBuffer m, Ipv6Address src, Ipv6Address dst) {
    int n = m.capacity();
    m.putShort(2, (short) 0);
    m.putShort(2, (short) Checksum.finish(Checksum.add(pseudo(src, dst, n), m, 0, n)));
    m.position(0).limit(n);
    return m;
  }

  /** An echo request or reply. */
  public static ByteBuffer echo(int type, int identifier, int sequence, ByteBuffer data) {
    ByteBuffer m = ByteBuffer.allocate(8 + data.remaining());
    m.put((byte) type).put((byte) 0).putShort((short) 0).putShort((short) identifier)
        .putShort((short) sequence).put(data.duplicate());
    return m;
  }

  /** A neighbour solicitation for {@code target}, with our link-layer address unless null. */
  public static ByteBuffer neighbourSolicitation(Ipv6Address target, MacAddress source) {
    ByteBuffer m = ByteBuffer.allocate(24 + (source != null ? 8 : 0));
    m.put((byte) NEIGHBOUR_SOLICITATION).put((byte) 0).putShort((short) 0).putInt(0);
    m.putLong(target.high()).putLong(target.low());
    if (source != null) {
      linkAddressOption(m, OPT_SOURCE_LINK_ADDRESS, source);
    }
    return m;
  }

  /** A neighbour advertisement for {@code target} with our link-layer address. */
  public static ByteBuffer neighbourAdvertisement(Ipv6Address target, int flags, MacAddress mac) {
    ByteBuffer m = ByteBuffer.allocate(32);
    m.put((byte) NEIGHBOUR_ADVERTISEMENT).put((byte) 0).putShort((short) 0).putInt(flags);
    m.putLong(target.high()).putLong(target.low());
    linkAddressOption(m, OPT_TARGET_LINK_ADDRESS, mac);
    return m;
  }

  /** A router solicitation, with our link-layer address unless null (sent from ::). */
  public static ByteBuffer routerSolicitation(MacAddress source) {
    ByteBuffer m = ByteBuffer.allocate(8 + (source != null ? 8 : 0));
    m.put((byte) ROUTER_SOLICITATION).put((byte) 0).putShort((short) 0).putInt(0);
    if (source != null) {
      linkAddressOption(m, OPT_SOURCE_LINK_ADDRESS, source);
    }
    return m;
  }

  private static void linkAddressOption(ByteBuffer m, int type, MacAddress mac) {
    m.put((byte) type).put((byte) 1);
    long v = mac.bits();
    for (int s = 40; s >= 0; s -= 8) {
      m.put((byte) (v >>> s));
    }
  }

  /**
   * The link-layer address in option {@code type} among the options from {@code from} to the end
   * of {@code m}; null if absent.
   *
   * @throws IllegalArgumentException if the options are malformed (a zero length, or one past the
   *     end), which makes the whole message invalid (RFC 4861 6.1, 7.1)
   */
  public static MacAddress linkAddress(ByteBuffer m, int from, int type) {
    MacAddress found = null;
    int i = from;
    int n = m.remaining();
    while (i < n) {
      if (i + 2 > n) {
        throw new IllegalArgumentException("truncated option");
      }
      int t = m.get(i) & 0xff;
      int len = (m.get(i + 1) & 0xff) * 8;
      if (len == 0 || i + len > n) {
        throw new IllegalArgumentException("bad option length");
      }
      if (t == type && len >= 8 && found == null) {
        long v = 0;
        for (int k = 0; k < 6; k++) {
          v = (v << 8) | (m.get(i + 2 + k) & 0xff);
        }
        found = new MacAddress(v);
      }
      i += len;
    }
    return found;
  }

  /** The Ethernet address of IPv6 multicast group {@code group} (RFC 2464 7). */
  public static MacAddress multicastMac(Ipv6Address group) {
    return new MacAddress(0x3333_0000_0000L | (group.low() & 0xffff_ffffL));
  }

  /** The modified EUI-64 interface identifier of {@code mac} (RFC 4291 appendix A). */
  public static long interfaceIdentifier(MacAddress mac) {
    long m = mac.bits();
    long oui = (m >>> 24) ^ 0x02_0000L; // flip the universal/local bit
    return (oui << 40) | (0xfffeL << 24) | (m & 0xff_ffffL);
  }
}
