package org.mirage4j.api;

import java.util.HexFormat;

/**
 * A 48-bit Ethernet MAC address.
 *
 * @param bits the address in the low 48 bits, most significant octet first
 */
public record MacAddress(long bits) {

  /** ff:ff:ff:ff:ff:ff. */
  public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

  /** Validates the range. */
  public MacAddress {
    if ((bits & ~0xffff_ffff_ffffL) != 0) {
      throw new IllegalArgumentException("not a 48-bit MAC address: " + Long.toHexString(bits));
    }
  }

  /** From 6 octets. */
  public static MacAddress of(byte[] octets) {
    if (octets.length != 6) {
      throw new IllegalArgumentException("a MAC address has 6 octets, not " + octets.length);
    }
    long v = 0;
    for (byte b : octets) {
      v = (v << 8) | (b & 0xff);
    }
    return new MacAddress(v);
  }

  /**
   * Parses {@code aa:bb:cc:dd:ee:ff} (or with dashes).
   *
   * @throws IllegalArgumentException with a message naming the expected form
   */
  public static MacAddress parse(String text) {
    String[] parts = text.split("[:-]", -1);
    if (parts.length != 6) {
      throw new IllegalArgumentException("expected a MAC address like 02:00:00:00:00:01, got '" + text + "'");
    }
    byte[] octets = new byte[6];
    for (int i = 0; i < 6; i++) {
      if (parts[i].length() != 2) {
        throw new IllegalArgumentException("expected a MAC address like 02:00:00:00:00:01, got '" + text + "'");
      }
      try {
        octets[i] = (byte) Integer.parseInt(parts[i], 16);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a MAC address like 02:00:00:00:00:01, got '" + text + "'");
      }
    }
    return of(octets);
  }

  /** The 6 octets, most significant first. */
  public byte[] octets() {
    byte[] o = new byte[6];
    for (int i = 5, s = 0; i >= 0; i--, s += 8) {
      o[i] = (byte) (bits >>> s);
    }
    return o;
  }

  /** True for a group (multicast or broadcast) address. */
  public boolean isMulticast() {
    return ((bits >>> 40) & 1) != 0;
  }

  @Override
  public String toString() {
    String hex = HexFormat.of().formatHex(octets());
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < 12; i += 2) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(hex, i, i + 2);
    }
    return sb.toString();
  }
}
