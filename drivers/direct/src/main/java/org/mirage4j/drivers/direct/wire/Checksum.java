package org.mirage4j.drivers.direct.wire;

import java.nio.ByteBuffer;

/** The Internet checksum (RFC 1071). */
public final class Checksum {
  private Checksum() {}

  /** Adds the bytes {@code [from, to)} of {@code b} (absolute indices) to a running 32-bit sum. */
  public static long add(long sum, ByteBuffer b, int from, int to) {
    int i = from;
    for (; i + 1 < to; i += 2) {
      sum += ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
    }
    if (i < to) {
      sum += (b.get(i) & 0xff) << 8;
    }
    return sum;
  }

  /** Adds a 32-bit value as two 16-bit words. */
  public static long add32(long sum, int v) {
    return sum + (v >>> 16) + (v & 0xffff);
  }

  /** Folds and complements a running sum. */
  public static int finish(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /** The IPv6 pseudo-header sum (RFC 8200 8.1) of the given addresses, length and next header. */
  public static long pseudo6(long srcHigh, long srcLow, long dstHigh, long dstLow, int nextHeader,
      int length) {
    long s = add64(0, srcHigh);
    s = add64(s, srcLow);
    s = add64(s, dstHigh);
    s = add64(s, dstLow);
    return add32(s, length) + nextHeader;
  }

  private static long add64(long sum, long v) {
    return add32(add32(sum, (int) (v >>> 32)), (int) v);
  }

  /** The pseudo-header sum for TCP/UDP. */
  public static long pseudo(int src, int dst, int protocol, int length) {
    long s = add32(0, src);
    s = add32(s, dst);
    return s + protocol + length;
  }
}
