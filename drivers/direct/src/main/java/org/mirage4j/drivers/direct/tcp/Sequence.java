package org.mirage4j.drivers.direct.tcp;

/**
 * Sequence numbers modulo 2^32 (RFC 9293 3.4).
 *
 * <p>Inside the stack a sequence number is a {@code long} that never wraps: the initial sequence
 * number is taken as an unsigned 32-bit value and everything after it counts on from there. A
 * value from the wire is turned into that form by {@link #unwrap} against a nearby reference (the
 * receiver's RCV.NXT, the sender's SND.UNA), so ordinary {@code <} and {@code >} compare sequence
 * numbers correctly across the 2^32 wrap, as long as the two are less than 2^31 apart, which TCP's
 * windows guarantee.
 */
final class Sequence {
  private Sequence() {}

  /** The unwrapped sequence number nearest to {@code reference} whose low 32 bits are {@code wire}. */
  static long unwrap(int wire, long reference) {
    return reference + (int) (wire - (int) reference);
  }

  /** An initial sequence number from the wire (or from the generator), as an unsigned value. */
  static long initial(int wire) {
    return wire & 0xffffffffL;
  }

  /** The 32 bits that go on the wire. */
  static int wire(long sequence) {
    return (int) sequence;
  }
}
