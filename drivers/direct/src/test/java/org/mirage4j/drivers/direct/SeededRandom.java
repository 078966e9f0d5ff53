package org.mirage4j.drivers.direct;

import java.util.Random;
import org.mirage4j.api.RandomSource;

/** A deterministic {@link RandomSource} for tests. */
final class SeededRandom implements RandomSource {
  private final Random random;

  SeededRandom(long seed) {
    random = new Random(seed);
  }

  @Override
  public synchronized void fill(byte[] buffer) {
    random.nextBytes(buffer);
  }
}
