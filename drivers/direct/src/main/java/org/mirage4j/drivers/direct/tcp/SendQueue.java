package org.mirage4j.drivers.direct.tcp;

import java.nio.ByteBuffer;

/**
 * What the application wrote and the peer has not acknowledged yet: the bytes from SND.UNA (or
 * the first unsent byte before the connection is synchronized) on, with their sequence numbers,
 * and where our FIN goes once the application shut its output.
 */
final class SendQueue {
  private final ByteRing ring;
  /** The sequence number of the first byte held. */
  private long start;
  /** The sequence number our FIN occupies, or -1 while the output is open. */
  private long fin = -1;

  SendQueue(int capacity) {
    ring = new ByteRing(capacity);
  }

  /** Sets the sequence number of the first byte to be written (ISS + 1). */
  void startAt(long seq) {
    start = seq;
  }

  /** The sequence number of the first byte held. */
  long start() {
    return start;
  }

  /** The sequence number after the last byte held. */
  long end() {
    return start + ring.size();
  }

  int size() {
    return ring.size();
  }

  int free() {
    return ring.free();
  }

  /** Appends as much of {@code src} as fits, advancing it. */
  int write(ByteBuffer src) {
    return ring.write(src, src.remaining());
  }

  /** Drops the bytes below {@code ack}; returns true if any were dropped. */
  boolean acknowledge(long ack) {
    long dropTo = Math.min(ack, end());
    if (dropTo <= start) {
      return false;
    }
    ring.drop((int) (dropTo - start));
    start = dropTo;
    return true;
  }

  /** Copies {@code len} bytes from sequence number {@code seq} on into {@code dst}. */
  void copy(long seq, int len, ByteBuffer dst) {
    ring.peek((int) (seq - start), len, dst);
  }

  /** Whether the application shut its output (our FIN has a sequence number). */
  boolean finQueued() {
    return fin >= 0;
  }

  /** The FIN's sequence number, or -1. */
  long fin() {
    return fin;
  }

  /** Places the FIN after the last byte written. */
  void queueFin() {
    fin = end();
  }
}
