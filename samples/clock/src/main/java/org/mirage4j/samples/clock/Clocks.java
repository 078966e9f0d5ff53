package org.mirage4j.samples.clock;

import java.time.format.DateTimeFormatter;
import org.mirage4j.api.Console;
import org.mirage4j.api.Job;
import org.mirage4j.api.MonotonicClock;
import org.mirage4j.api.WallClock;

/** Prints the monotonic and the wall time every second, {@code --ticks} times. */
public final class Clocks implements Job {
  private final Console console;
  private final MonotonicClock mclock;
  private final WallClock pclock;
  private final long ticks;

  /** The devices and the number of ticks. */
  public Clocks(Console console, MonotonicClock mclock, WallClock pclock, long ticks) {
    this.console = console;
    this.mclock = mclock;
    this.pclock = pclock;
    this.ticks = ticks;
  }

  @Override
  public void start() throws InterruptedException {
    for (long i = 0; i < ticks; i++) {
      console.log(
          String.format(
              "monotonic %.3f s, wall %s",
              mclock.elapsedNanos() / 1e9,
              DateTimeFormatter.ISO_INSTANT.format(pclock.now())));
      if (i + 1 < ticks) {
        Thread.sleep(1000);
      }
    }
  }
}
