package org.mirage4j.drivers.direct.tcp;

import static com.google.common.truth.Truth.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** In-order data, out-of-order segments and their bounds, without a stack. */
class ReceiveQueueTest {

  static ByteBuffer bytes(int from, int n) {
    ByteBuffer b = ByteBuffer.allocate(n);
    for (int i = 0; i < n; i++) {
      b.put((byte) (from + i));
    }
    return b.flip();
  }

  static byte[] readAll(ReceiveQueue q) {
    ByteBuffer b = ByteBuffer.allocate(q.size());
    q.read(b);
    return b.array();
  }

  @Test
  void heldSegmentsAreDeliveredInOrderWhenTheGapFills() {
    ReceiveQueue q = new ReceiveQueue(1 << 16, 8);
    q.startAt(1000);
    q.hold(1020, bytes(20, 10));
    q.hold(1010, bytes(10, 15)); // overlaps the next one
    assertThat(q.heldBytes()).isEqualTo(25);
    assertThat(q.drainHeld()).isEqualTo(0); // the gap at 1000 is still open
    assertThat(q.append(bytes(0, 10))).isEqualTo(10);
    assertThat(q.drainHeld()).isEqualTo(2);
    assertThat(q.next()).isEqualTo(1030);
    assertThat(q.hasHeld()).isFalse();
    assertThat(q.heldBytes()).isEqualTo(0);
    byte[] got = readAll(q);
    assertThat(got.length).isEqualTo(30);
    for (int i = 0; i < 30; i++) {
      assertThat(got[i]).isEqualTo((byte) i);
    }
  }

  @Test
  void aHeldSegmentEntirelyBelowNextIsDroppedWhenDrained() {
    ReceiveQueue q = new ReceiveQueue(1 << 16, 8);
    q.startAt(0);
    q.hold(5, bytes(5, 5));
    q.append(bytes(0, 20));
    assertThat(q.drainHeld()).isEqualTo(1);
    assertThat(q.next()).isEqualTo(20);
    assertThat(q.size()).isEqualTo(20);
  }

  @Test
  void holdingIsBoundedBySegmentsAndBytes() {
    ReceiveQueue q = new ReceiveQueue(100, 3);
    q.startAt(0);
    q.hold(10, bytes(0, 10));
    q.hold(10, bytes(0, 5)); // same start: kept once
    q.hold(30, bytes(0, 10));
    q.hold(50, bytes(0, 10));
    q.hold(70, bytes(0, 10)); // a fourth segment
    assertThat(q.heldBytes()).isEqualTo(30);
    ReceiveQueue r = new ReceiveQueue(100, 10);
    r.hold(10, bytes(0, 60));
    r.hold(80, bytes(0, 50)); // would exceed 100 bytes
    assertThat(r.heldBytes()).isEqualTo(60);
    r.clearHeld();
    assertThat(r.heldBytes()).isEqualTo(0);
    assertThat(r.hasHeld()).isFalse();
  }

  @Test
  void appendTakesWhatFitsAndTheFinTakesOneSequenceNumber() {
    ReceiveQueue q = new ReceiveQueue(8, 4);
    q.startAt(100);
    ByteBuffer data = bytes(0, 12);
    assertThat(q.append(data)).isEqualTo(8);
    assertThat(data.remaining()).isEqualTo(4);
    assertThat(q.next()).isEqualTo(108);
    q.passFin();
    assertThat(q.next()).isEqualTo(109);
  }
}
