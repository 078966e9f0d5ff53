package org.mirage4j.drivers.direct;

import java.nio.ByteBuffer;
import org.mirage4j.drivers.direct.wire.Checksum;

/** Builds raw Ethernet frames for tests (and fixes their checksums after mutation). */
final class Frames {
  private Frames() {}

  static byte[] ethernet(long dst, long src, int type, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
    for (int s = 40; s >= 0; s -= 8) {
      b.put((byte) (dst >>> s));
    }
    for (int s = 40; s >= 0; s -= 8) {
      b.put((byte) (src >>> s));
    }
    b.putShort((short) type).put(payload);
    return b.array();
  }

  static byte[] arp(int op, long sha, int spa, long tha, int tpa) {
    ByteBuffer b = ByteBuffer.allocate(28);
    b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) op);
    for (int s = 40; s >= 0; s -= 8) {
      b.put((byte) (sha >>> s));
    }
    b.putInt(spa);
    for (int s = 40; s >= 0; s -= 8) {
      b.put((byte) (tha >>> s));
    }
    b.putInt(tpa);
    return b.array();
  }

  static byte[] ipv4(int src, int dst, int protocol, int id, int fragField, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) id)
        .putShort((short) fragField).put((byte) 64).put((byte) protocol).putShort((short) 0)
        .putInt(src).putInt(dst).put(payload);
    b.putShort(10, (short) Checksum.finish(Checksum.add(0, b, 0, 20)));
    return b.array();
  }

  static byte[] tcp(int src, int dst, int sport, int dport, int seq, int ack, int flags, int window,
      byte[] options, byte[] data) {
    int hl = 20 + options.length;
    ByteBuffer b = ByteBuffer.allocate(hl + data.length);
    b.putShort((short) sport).putShort((short) dport).putInt(seq).putInt(ack)
        .put((byte) ((hl / 4) << 4)).put((byte) flags).putShort((short) window).putInt(0)
        .put(options).put(data);
    b.putShort(16, (short) Checksum.finish(
        Checksum.add(Checksum.pseudo(src, dst, 6, b.capacity()), b, 0, b.capacity())));
    return b.array();
  }

  static byte[] udp(int src, int dst, int sport, int dport, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + data.length);
    b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + data.length))
        .putShort((short) 0).put(data);
    b.putShort(6, (short) Checksum.finish(
        Checksum.add(Checksum.pseudo(src, dst, 17, b.capacity()), b, 0, b.capacity())));
    return b.array();
  }

  static byte[] icmpEcho(int id, int seq, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + data.length);
    b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq).put(data);
    b.putShort(2, (short) Checksum.finish(Checksum.add(0, b, 0, b.capacity())));
    return b.array();
  }

  /**
   * Recomputes the IPv4 header checksum and, if the datagram is an unfragmented TCP/UDP/ICMP one
   * whose lengths are consistent, the transport checksum, so that mutated frames get past the
   * checksum checks and reach the parsers behind them.
   */
  static void fixChecksums(byte[] frame) {
    if (frame.length < 34 || (frame[12] & 0xff) != 0x08 || frame[13] != 0) {
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(frame);
    int ihl = (frame[14] & 0xf) * 4;
    if (ihl < 20 || 14 + ihl > frame.length) {
      return;
    }
    b.putShort(24, (short) 0);
    b.putShort(24, (short) Checksum.finish(Checksum.add(0, b, 14, 14 + ihl)));
    int total = b.getShort(16) & 0xffff;
    int frag = b.getShort(20) & 0x3fff;
    if (total < ihl || 14 + total > frame.length || frag != 0) {
      return;
    }
    int proto = frame[23] & 0xff;
    int src = b.getInt(26);
    int dst = b.getInt(30);
    int start = 14 + ihl;
    int len = total - ihl;
    int at = proto == 6 ? 16 : proto == 17 ? 6 : proto == 1 ? 2 : -1;
    if (at < 0 || len < at + 2) {
      return;
    }
    b.putShort(start + at, (short) 0);
    long sum = proto == 1 ? 0 : Checksum.pseudo(src, dst, proto, len);
    b.putShort(start + at, (short) Checksum.finish(Checksum.add(sum, b, start, start + len)));
  }
}
