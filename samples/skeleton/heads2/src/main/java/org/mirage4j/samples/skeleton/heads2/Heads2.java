package org.mirage4j.samples.skeleton.heads2;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mirage4j.api.Job;

/**
 * The original's {@code heads <&> tails >|= Finished} with futures: {@code heads} and {@code tails}
 * are promises that complete after their sleep, {@code runAfterBoth} is Lwt's {@code <&>}.
 */
public final class Heads2 implements Job {

  private static final System.Logger LOG = System.getLogger("application");

  /** The job takes no device. */
  public Heads2() {}

  @Override
  public void start() {
    CompletableFuture<Void> heads = sleep(Duration.ofSeconds(1)).thenRun(() -> LOG.log(Level.INFO, "Heads"));
    CompletableFuture<Void> tails = sleep(Duration.ofSeconds(2)).thenRun(() -> LOG.log(Level.INFO, "Tails"));
    heads.runAfterBoth(tails, () -> LOG.log(Level.INFO, "Finished")).join();
  }

  /** A promise that completes after {@code delay} (MirageOS's {@code Mirage_sleep.ns}). */
  static CompletableFuture<Void> sleep(Duration delay) {
    return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS));
  }
}
