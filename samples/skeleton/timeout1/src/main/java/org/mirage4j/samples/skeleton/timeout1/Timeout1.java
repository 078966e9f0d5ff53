package org.mirage4j.samples.skeleton.timeout1;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.mirage4j.api.Job;
import org.mirage4j.api.RandomSource;

/**
 * A promise of {@code "Heads"} after a random sleep below 3 s, and the original's {@code timeout}:
 * sleep the whole delay, then look at the promise's state; still pending, it is cancelled ({@code
 * None}); resolved, its value ({@code Some v}); failed, the failure goes on.
 */
public final class Timeout1 implements Job {

  private static final System.Logger LOG = System.getLogger("application");

  private final RandomSource random;

  /** The wiring passes the random source the sleep is drawn from. */
  public Timeout1(RandomSource random) {
    this.random = random;
  }

  @Override
  public void start() throws Exception {
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

  /** Waits {@code delay}, then takes {@code t}'s value if it has one, or cancels it. */
  static <T> Optional<T> timeout(Duration delay, CompletableFuture<T> t) throws Exception {
    sleep(delay).join();
    if (!t.isDone()) { // Lwt.Sleep
      t.cancel(true);
      return Optional.empty();
    }
    try {
      return Optional.of(t.join()); // Lwt.Return v
    } catch (CompletionException e) { // Lwt.Fail ex
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** A promise that completes after {@code delay} (MirageOS's {@code Mirage_sleep.ns}). */
  static CompletableFuture<Void> sleep(Duration delay) {
    return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS));
  }
}
