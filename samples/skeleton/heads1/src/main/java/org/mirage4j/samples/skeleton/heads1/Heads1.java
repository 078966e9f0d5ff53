package org.mirage4j.samples.skeleton.heads1;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import org.mirage4j.api.Job;

/**
 * Two sleeps at once, as the original's {@code Lwt.join [sleep 1s >|= Heads; sleep 2s >|= Tails]
 * >|= Finished}: each is a thread, and joining both is {@code Thread.join} on each.
 */
public final class Heads1 implements Job {

  private static final System.Logger LOG = System.getLogger("application");

  /** The job takes no device. */
  public Heads1() {}

  @Override
  public void start() throws InterruptedException {
    List<Thread> threads = List.of(
        after(Duration.ofSeconds(1), "Heads"),
        after(Duration.ofSeconds(2), "Tails"));
    for (Thread t : threads) {
      t.join();
    }
    LOG.log(Level.INFO, "Finished");
  }

  /** A thread, started now, that sleeps {@code delay} and then logs {@code message}. */
  private static Thread after(Duration delay, String message) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      LOG.log(Level.INFO, message);
    }, message);
    t.start();
    return t;
  }
}
