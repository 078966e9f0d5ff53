package org.mirage4j.drivers.clock;

import org.mirage4j.api.MonotonicClock;

/**
 * The {@code system_mclock} driver: {@link System#nanoTime()} measured from the moment the driver
 * was constructed. The value never decreases, even if the platform's counter were to step back.
 */
public final class SystemMonotonicClock implements MonotonicClock {

  private final long origin;
  private long last;

  /** A clock whose origin is now. */
  public SystemMonotonicClock() {
    this.origin = System.nanoTime();
  }

  @Override
  public synchronized long elapsedNanos() {
    long elapsed = System.nanoTime() - origin;
    if (elapsed > last) {
      last = elapsed;
    }
    return last;
  }
}
