package org.mirage4j.drivers.direct.time;

/**
 * The direct stack's notion of time: a clock plus one-shot timers.
 *
 * <p>Every timeout in the stack (ARP retries and expiry, fragment reassembly, TCP retransmission,
 * delayed ACK, TIME_WAIT, blocking reads with a timeout) goes through a scheduler, never through
 * {@code Thread.sleep} or a timed wait. A {@link org.mirage4j.api.MonotonicClock} given to a layer
 * that also implements this interface is used as the scheduler directly, which is how tests run the
 * stack in virtual time; any other clock is wrapped by {@link #forClock}.
 */
public interface Scheduler {

  /** A scheduled task that may still be cancelled. */
  interface Timer {
    /** Prevents the task from running if it has not started yet. Idempotent. */
    void cancel();
  }

  /** Now, in nanoseconds on the scheduler's monotonic clock. */
  long nanoTime();

  /**
   * Runs {@code task} once, {@code delayNanos} from now, on the scheduler's thread. Tasks must not
   * block; exceptions they throw are swallowed and counted.
   */
  Timer schedule(long delayNanos, Runnable task);

  /**
   * The scheduler for {@code clock}: the clock itself when it is a scheduler, otherwise one
   * real-time scheduler thread per clock instance.
   */
  static Scheduler forClock(org.mirage4j.api.MonotonicClock clock) {
    return RealTimeScheduler.forClock(clock);
  }
}
