package org.mirage4j.drivers.direct;

import java.nio.ByteBuffer;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.drivers.direct.wire.Checksum;

/** Builds raw IPv6 frames for tests, and fixes their checksums after mutation. */
final class Frames6 {
  private Frames6() {}

  static byte[] ipv6(Ipv6Address src, Ipv6Address dst, int nextHeader, int hops, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(40 + payload.length);
    b.putInt(0x6000_0000).putShort((short) payload.length).put((byte) nextHeader).put((byte) hops);
    b.putLong(src.high()).putLong(src.low()).putLong(dst.high()).putLong(dst.low()).put(payload);
    return b.array();
  }

  /** An ICMPv6 message ({@code body} after type, code and checksum) with its checksum. */
  static byte[] icmp6(Ipv6Address src, Ipv6Address dst, int type, int code, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(4 + body.length);
    b.put((byte) type).put((byte) code).putShort((short) 0).put(body);
    b.putShort(2, (short) Checksum.finish(Checksum.add(
        Checksum.pseudo6(src.high(), src.low(), dst.high(), dst.low(), 58, b.capacity()), b, 0,
        b.capacity())));
    return b.array();
  }

  /** A transport segment's checksum over IPv6 (offset {@code at} of the checksum field). */
  static byte[] withChecksum(Ipv6Address src, Ipv6Address dst, int nextHeader, byte[] seg, int at) {
    ByteBuffer b = ByteBuffer.wrap(seg);
    b.putShort(at, (short) 0);
    b.putShort(at, (short) Checksum.finish(Checksum.add(
        Checksum.pseudo6(src.high(), src.low(), dst.high(), dst.low(), nextHeader, seg.length), b, 0,
        seg.length)));
    return seg;
  }

  static byte[] mac(long m) {
    byte[] o = new byte[6];
    for (int i = 0; i < 6; i++) {
      o[i] = (byte) (m >>> (40 - 8 * i));
    }
    return o;
  }

  static ByteBuffer body(int capacity) {
    return ByteBuffer.allocate(capacity);
  }

  /**
   * Recomputes the checksum of an IPv6 frame's ICMPv6, TCP or UDP payload right after the fixed
   * header, if the lengths are consistent, so that mutated frames reach the parsers.
   */
  static void fixChecksums(byte[] frame) {
    if (frame.length < 54 || (frame[12] & 0xff) != 0x86 || (frame[13] & 0xff) != 0xdd) {
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(frame);
    int plen = b.getShort(18) & 0xffff;
    int nh = frame[20] & 0xff;
    if (54 + plen > frame.length) {
      return;
    }
    int at = nh == 6 ? 16 : nh == 17 ? 6 : nh == 58 ? 2 : -1;
    if (at < 0 || plen < at + 2) {
      return;
    }
    long sum = Checksum.pseudo6(b.getLong(22), b.getLong(30), b.getLong(38), b.getLong(46), nh, plen);
    b.putShort(54 + at, (short) 0);
    b.putShort(54 + at, (short) Checksum.finish(Checksum.add(sum, b, 54, 54 + plen)));
  }
}
