package org.mirage4j.samples.skeleton.timeout2;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.mirage4j.api.Job;
import org.mirage4j.api.RandomSource;

/**
 * A promise of {@code "Heads"} after a random sleep below 3 s, raced against a 2 s timeout as the
 * original's {@code Lwt.pick [tmout >|= None; t >|= Some]}: the first to complete is the result,
 * and the other is cancelled.
 */
public final class Timeout2 implements Job {

  private static final System.Logger LOG = System.getLogger("application");

  private final RandomSource random;

  /** The wiring passes the random source the sleep is drawn from. */
  public Timeout2(RandomSource random) {
    this.random = random;
  }

  @Override
  public void start() {
    int r = random.nextInt(3000);
    LOG.log(Level.DEBUG, () -> "sleeping " + r + " ms");
    CompletableFuture<String> t = sleep(Duration.ofMillis(r)).thenApply(done -> "Heads");
    Optional<String> result = timeout(Duration.ofSeconds(2), t);
    if (result.isEmpty()) {
      LOG.log(Level.INFO, "Cancelled");
    } else {
      LOG.log(Level.INFO, "Returned \"" + result.get() + "\"");
    }
  }

  /** The first of {@code t} and a timeout of {@code delay}; the other one is cancelled. */
  static <T> Optional<T> timeout(Duration delay, CompletableFuture<T> t) {
    CompletableFuture<Optional<T>> tmout = sleep(delay).thenApply(done -> Optional.empty());
    CompletableFuture<Optional<T>> value = t.thenApply(Optional::of);
    try {
      return tmout.applyToEither(value, Function.identity()).join();
    } finally {
      tmout.cancel(true);
      t.cancel(true);
    }
  }

  /** A promise that completes after {@code delay} (MirageOS's {@code Mirage_sleep.ns}). */
  static CompletableFuture<Void> sleep(Duration delay) {
    return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS));
  }
}
