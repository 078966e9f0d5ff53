package org.mirage4j.drivers.direct.tcp;

import static com.google.common.truth.Truth.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.mirage4j.drivers.direct.wire.Checksum;

/** Encoding and parsing segments, and sequence arithmetic, without a stack. */
class SegmentTest {

  static final long PSEUDO = Checksum.pseudo(0x0a000001, 0x0a000002, 6, 0);

  static ByteBuffer encode(int flags, int mss, int ws, byte[] payload) {
    ByteBuffer b = Segment.start(4000, 80, 0xfffffff0, 12345, flags, 513, mss, ws, payload.length);
    b.put(payload);
    return Segment.seal(b, PSEUDO + b.capacity());
  }

  @Test
  void whatIsEncodedParsesBack() {
    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = encode(Segment.SYN | Segment.ACK, 1460, 7, hello);
    assertThat(b.remaining()).isEqualTo(20 + 8 + 5);
    Segment s = Segment.parse(b, PSEUDO + b.remaining());
    assertThat(s).isNotNull();
    assertThat(s.sourcePort()).isEqualTo(4000);
    assertThat(s.destinationPort()).isEqualTo(80);
    assertThat(s.seq()).isEqualTo(0xfffffff0);
    assertThat(s.ack()).isEqualTo(12345);
    assertThat(s.has(Segment.SYN)).isTrue();
    assertThat(s.has(Segment.FIN)).isFalse();
    assertThat(s.window()).isEqualTo(513);
    assertThat(s.mss()).isEqualTo(1460);
    assertThat(s.wscale()).isEqualTo(7);
    assertThat(s.len()).isEqualTo(6); // SYN counts one
    byte[] got = new byte[s.data().remaining()];
    s.data().get(got);
    assertThat(got).isEqualTo(hello);
  }

  @Test
  void withoutOptionsTheHeaderIsTwentyBytes() {
    ByteBuffer b = encode(Segment.ACK | Segment.FIN, -1, -1, new byte[0]);
    assertThat(b.remaining()).isEqualTo(20);
    Segment s = Segment.parse(b, PSEUDO + 20);
    assertThat(s.mss()).isEqualTo(-1);
    assertThat(s.wscale()).isEqualTo(-1);
    assertThat(s.len()).isEqualTo(1);
  }

  @Test
  void aWindowScaleAbove14IsTakenAs14() {
    ByteBuffer b = encode(Segment.SYN, 1460, 200, new byte[0]);
    assertThat(Segment.parse(b, PSEUDO + b.remaining()).wscale()).isEqualTo(14);
  }

  @Test
  void malformedSegmentsAreRefused() {
    ByteBuffer good = encode(Segment.ACK, -1, -1, new byte[] {1, 2, 3});
    int n = good.remaining();
    assertThat(Segment.parse(good.duplicate(), PSEUDO + n)).isNotNull();
    assertThat(Segment.parse(good.duplicate(), PSEUDO + n + 1)).isNull(); // wrong pseudo-header
    assertThat(Segment.parse(ByteBuffer.allocate(19), PSEUDO + 19)).isNull(); // too short
    ByteBuffer flipped = copy(good);
    flipped.put(21, (byte) (flipped.get(21) ^ 1));
    assertThat(Segment.parse(flipped, PSEUDO + n)).isNull(); // bad checksum
    ByteBuffer offset = copy(good);
    offset.put(12, (byte) 0xf0); // data offset 60 > length
    reseal(offset);
    assertThat(Segment.parse(offset, PSEUDO + n)).isNull();
    ByteBuffer port = copy(good);
    port.putShort(0, (short) 0);
    reseal(port);
    assertThat(Segment.parse(port, PSEUDO + n)).isNull();
  }

  @Test
  void truncatedOptionsAreIgnored() {
    ByteBuffer b = Segment.start(4000, 80, 1, 0, Segment.SYN, 100, -1, -1, 4);
    b.put(new byte[] {1, 2, 8, 5}); // a NOP, then an MSS option claiming 8 bytes where 3 are left
    b.put(12, (byte) (6 << 4)); // 24-byte header: the option area is the 4 bytes just written
    Segment.seal(b, PSEUDO + 24);
    Segment s = Segment.parse(b, PSEUDO + 24);
    assertThat(s.mss()).isEqualTo(-1);
    assertThat(s.data().remaining()).isEqualTo(0);
  }

  @Test
  void sequenceNumbersUnwrapAcrossTwoToThe32() {
    long nearTop = 0xffff_fff0L;
    assertThat(Sequence.unwrap(0x10, nearTop)).isEqualTo(0x1_0000_0010L);
    assertThat(Sequence.unwrap(0xffff_ffe0, nearTop)).isEqualTo(0xffff_ffe0L);
    long wrapped = 0x1_0000_0010L;
    assertThat(Sequence.unwrap(0xffff_fff0, wrapped)).isEqualTo(nearTop);
    assertThat(Sequence.unwrap(0x7fff_ffff, 0)).isEqualTo(0x7fff_ffffL);
    assertThat(Sequence.initial(-2)).isEqualTo(0xffff_fffeL);
    assertThat(Sequence.wire(0x1_0000_0005L)).isEqualTo(5);
  }

  private static ByteBuffer copy(ByteBuffer b) {
    ByteBuffer c = ByteBuffer.allocate(b.remaining());
    c.put(b.duplicate()).flip();
    return c;
  }

  private static void reseal(ByteBuffer b) {
    b.putShort(16, (short) 0);
    b.putShort(16, (short) Checksum.finish(Checksum.add(PSEUDO + b.remaining(), b, 0, b.remaining())));
  }
}
