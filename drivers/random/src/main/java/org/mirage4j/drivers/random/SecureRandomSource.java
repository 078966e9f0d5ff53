package org.mirage4j.drivers.random;

import java.security.SecureRandom;
import java.util.Objects;
import org.mirage4j.api.RandomSource;

/**
 * The {@code secure_random} driver: random bytes from the platform's default {@link SecureRandom}.
 * Thread-safe.
 */
public final class SecureRandomSource implements RandomSource {

  private final SecureRandom random;

  /** A source over a new default {@link SecureRandom}, seeded by the platform. */
  public SecureRandomSource() {
    this(new SecureRandom());
  }

  /**
   * A source over {@code random}.
   *
   * @param random the generator to draw from
   */
  public SecureRandomSource(SecureRandom random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public void connect() {
    // Draw once so that a slow first seeding happens at start-up, not on the first request.
    random.nextInt();
  }

  @Override
  public void fill(byte[] buffer) {
    random.nextBytes(buffer);
  }

  @Override
  public long nextLong() {
    return random.nextLong();
  }

  @Override
  public int nextInt(int bound) {
    if (bound <= 0) {
      throw new IllegalArgumentException("bound must be positive: " + bound);
    }
    return random.nextInt(bound);
  }
}
