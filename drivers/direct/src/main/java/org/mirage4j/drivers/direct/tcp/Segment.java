package org.mirage4j.drivers.direct.tcp;

import java.nio.ByteBuffer;
import org.mirage4j.drivers.direct.wire.Checksum;

/**
 * A TCP segment (RFC 9293 3.1) as received, and the encoder of the segments we send.
 *
 * <p>Of the options only MSS (kind 2) and window scale (kind 3, RFC 7323 2) are read and written;
 * others are skipped.
 *
 * @param sourcePort the sender's port
 * @param destinationPort our port
 * @param seq the sequence number, as on the wire
 * @param ack the acknowledgment number, as on the wire
 * @param flags the flag bits ({@link #FIN}, {@link #SYN}, ...)
 * @param window the window field, unscaled
 * @param data the payload (a view of the received buffer, valid during the input call only)
 * @param mss the MSS option, or -1
 * @param wscale the window-scale option (at most 14), or -1
 */
record Segment(int sourcePort, int destinationPort, int seq, int ack, int flags, int window,
    ByteBuffer data, int mss, int wscale) {

  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int PSH = 0x08;
  static final int ACK = 0x10;

  /** The fixed header without options. */
  static final int HEADER = 20;

  /** Whether flag {@code f} is set. */
  boolean has(int f) {
    return (flags & f) != 0;
  }

  /** SEG.LEN: the payload plus one for SYN and one for FIN. */
  int len() {
    return data.remaining() + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0);
  }

  /**
   * Parses and checks the remaining bytes of {@code p}: length, checksum (with the IP layer's
   * pseudo-header sum), data offset and ports.
   *
   * @param pseudoHeaderSum the running checksum of the IP pseudo-header for this segment's length
   * @return the segment, or null when it is malformed
   */
  static Segment parse(ByteBuffer p, long pseudoHeaderSum) {
    int n = p.remaining();
    if (n < HEADER) {
      return null;
    }
    if (Checksum.finish(Checksum.add(pseudoHeaderSum, p, 0, n)) != 0) {
      return null;
    }
    int sport = p.getShort(0) & 0xffff;
    int dport = p.getShort(2) & 0xffff;
    int off = ((p.get(12) & 0xff) >>> 4) * 4;
    if (off < HEADER || off > n || sport == 0 || dport == 0) {
      return null;
    }
    int flags = p.get(13) & 0x3f;
    int mss = -1;
    int ws = -1;
    int i = HEADER;
    while (i < off) {
      int kind = p.get(i) & 0xff;
      if (kind == 0) {
        break;
      }
      if (kind == 1) {
        i++;
        continue;
      }
      if (i + 1 >= off) {
        break;
      }
      int len = p.get(i + 1) & 0xff;
      if (len < 2 || i + len > off) {
        break;
      }
      if (kind == 2 && len == 4) {
        mss = p.getShort(i + 2) & 0xffff;
      } else if (kind == 3 && len == 3) {
        ws = Math.min(14, p.get(i + 2) & 0xff);
      }
      i += len;
    }
    return new Segment(sport, dport, p.getInt(4), p.getInt(8), flags, p.getShort(14) & 0xffff,
        p.slice(off, n - off), mss, ws);
  }

  /**
   * Starts a segment to send: writes the header and options into a new buffer with room for
   * {@code payloadLength} bytes and leaves it positioned at the payload, for the caller to fill
   * and then {@linkplain #seal seal}.
   *
   * @param mss the MSS option to send, or -1 for none
   * @param windowShift the window-scale option to send (preceded by a NOP), or -1 for none
   */
  static ByteBuffer start(int sourcePort, int destinationPort, int seq, int ack, int flags,
      int window, int mss, int windowShift, int payloadLength) {
    int hl = HEADER + (mss >= 0 ? 4 : 0) + (windowShift >= 0 ? 4 : 0);
    ByteBuffer b = ByteBuffer.allocate(hl + payloadLength);
    b.putShort((short) sourcePort).putShort((short) destinationPort).putInt(seq).putInt(ack);
    b.put((byte) ((hl / 4) << 4)).put((byte) flags).putShort((short) window).putShort((short) 0)
        .putShort((short) 0);
    if (mss >= 0) {
      b.put((byte) 2).put((byte) 4).putShort((short) mss);
    }
    if (windowShift >= 0) {
      b.put((byte) 1).put((byte) 3).put((byte) 3).put((byte) windowShift);
    }
    return b;
  }

  /**
   * Completes a segment begun by {@link #start} once its payload is written: fills in the checksum
   * and makes the whole segment the buffer's remaining bytes.
   */
  static ByteBuffer seal(ByteBuffer segment, long pseudoHeaderSum) {
    int n = segment.capacity();
    segment.putShort(16, (short) Checksum.finish(Checksum.add(pseudoHeaderSum, segment, 0, n)));
    segment.position(0).limit(n);
    return segment;
  }
}
