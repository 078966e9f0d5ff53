package org.mirage4j.api;

/** A source of cryptographically strong random bytes (MirageOS's {@code random}). */
public interface RandomSource extends Device {

  /** Fills {@code buffer} with random bytes. */
  void fill(byte[] buffer);

  /** A random {@code long}. */
  default long nextLong() {
    byte[] b = new byte[Long.BYTES];
    fill(b);
    long v = 0;
    for (byte x : b) {
      v = (v << 8) | (x & 0xff);
    }
    return v;
  }

  /** A random {@code int} in {@code [0, bound)}; {@code bound} must be positive. */
  default int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    long r = nextLong() >>> 1;
    return (int) (r % bound);
  }
}
