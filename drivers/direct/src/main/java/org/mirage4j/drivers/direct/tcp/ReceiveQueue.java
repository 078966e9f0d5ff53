package org.mirage4j.drivers.direct.tcp;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * The receive side of a connection's sequence space: RCV.NXT, the in-order bytes below it that
 * the application has not read, and the segments that arrived ahead of it (out of order), held
 * within bounds until the gap before them fills.
 */
final class ReceiveQueue {
  private final ByteRing ring;
  private final int maxHeldSegments;
  private final int maxHeldBytes;
  private final TreeMap<Long, byte[]> held = new TreeMap<>();
  private int heldBytes;
  private long next;

  /**
   * @param capacity most in-order bytes waiting for the application, and most held bytes
   * @param maxHeldSegments most out-of-order segments held
   */
  ReceiveQueue(int capacity, int maxHeldSegments) {
    this.ring = new ByteRing(capacity);
    this.maxHeldSegments = maxHeldSegments;
    this.maxHeldBytes = capacity;
  }

  /** RCV.NXT: the next sequence number expected. */
  long next() {
    return next;
  }

  /** Sets RCV.NXT once the peer's SYN is known (its sequence number plus one). */
  void startAt(long seq) {
    next = seq;
  }

  /** Moves RCV.NXT over the peer's FIN, which occupies one sequence number. */
  void passFin() {
    next++;
  }

  /** In-order bytes not yet read. */
  int size() {
    return ring.size();
  }

  /** Moves in-order bytes to {@code into}; returns the count. */
  int read(ByteBuffer into) {
    return ring.read(into);
  }

  /** Appends bytes that begin at RCV.NXT (as many as fit) and advances RCV.NXT over them. */
  int append(ByteBuffer data) {
    int n = ring.write(data, data.remaining());
    next += n;
    return n;
  }

  /** Whether out-of-order segments are held. */
  boolean hasHeld() {
    return !held.isEmpty();
  }

  /** Bytes held out of order. */
  int heldBytes() {
    return heldBytes;
  }

  /**
   * Holds a segment that begins above RCV.NXT, unless the bounds are reached or one starting at
   * the same sequence number is already held.
   */
  void hold(long seq, ByteBuffer data) {
    if (held.size() < maxHeldSegments && !held.containsKey(seq)
        && heldBytes + data.remaining() <= maxHeldBytes) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      held.put(seq, b);
      heldBytes += b.length;
    }
  }

  /**
   * Takes the held segments that RCV.NXT has reached, appending what lies beyond it.
   *
   * @return how many held segments were taken
   */
  int drainHeld() {
    int taken = 0;
    while (!held.isEmpty()) {
      Map.Entry<Long, byte[]> e = held.firstEntry();
      long s = e.getKey();
      byte[] b = e.getValue();
      if (s > next) {
        break;
      }
      held.pollFirstEntry();
      heldBytes -= b.length;
      long end = s + b.length;
      if (end > next) {
        int skip = (int) (next - s);
        next += ring.write(b, skip, b.length - skip);
      }
      taken++;
    }
    return taken;
  }

  /** Drops everything held out of order. */
  void clearHeld() {
    held.clear();
    heldBytes = 0;
  }
}
