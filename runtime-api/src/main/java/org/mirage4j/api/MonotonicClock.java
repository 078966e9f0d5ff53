package org.mirage4j.api;

/** A monotonic clock (MirageOS's {@code mclock}): never goes backwards, unrelated to wall time. */
public interface MonotonicClock extends Device {

  /** Nanoseconds elapsed since an arbitrary, fixed origin (usually the unikernel's start). */
  long elapsedNanos();
}
