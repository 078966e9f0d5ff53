package org.mirage4j.samples.skeleton.echoserver;

import java.lang.System.Logger.Level;
import java.time.Duration;
import org.mirage4j.api.Job;
import org.mirage4j.api.RandomSource;

/**
 * The original's {@code echo_server 10}: ten times, {@code read_line ()} (a random wait, then a
 * line of a random number of {@code 'a'}s below 20) and log the line.
 */
public final class EchoServer implements Job {

  private static final System.Logger LOG = System.getLogger("application");

  private final RandomSource random;
  private final Duration maxReadDelay;

  /** The wiring passes the random source and {@code --max-read-delay}. */
  public EchoServer(RandomSource random, Duration maxReadDelay) {
    this.random = random;
    this.maxReadDelay = maxReadDelay;
  }

  @Override
  public void start() throws InterruptedException {
    for (int n = 10; n > 0; n--) {
      String s = readLine();
      LOG.log(Level.INFO, s);
    }
  }

  /** A simulated read: waits below {@code --max-read-delay}, returns up to 19 {@code 'a'}s. */
  private String readLine() throws InterruptedException {
    Thread.sleep(random.nextInt((int) Math.max(1, maxReadDelay.toMillis())));
    return "a".repeat(random.nextInt(20));
  }
}
