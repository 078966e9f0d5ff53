package org.mirage4j.drivers.direct.ip;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.mirage4j.drivers.direct.time.Scheduler;

/**
 * The echo requests a host has sent and waits for (ICMP's and ICMPv6's ping): a sequence number
 * each, a round-trip time when the reply with that number comes, nothing after the timeout.
 */
public final class Echoes {

  /** Sends the echo request with sequence number {@code sequence}. */
  @FunctionalInterface
  public interface Sender {
    void send(int sequence) throws IOException;
  }

  private final Scheduler scheduler;
  private final AtomicInteger sequence = new AtomicInteger();
  private final Map<Integer, CompletableFuture<Long>> outstanding = new ConcurrentHashMap<>();

  public Echoes(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /**
   * Sends one request through {@code sender} and waits for its reply, at most {@code timeout}
   * (scheduler time).
   *
   * @return the round-trip time, or empty if no reply came in time
   */
  public Optional<Duration> ping(String destination, Duration timeout, Sender sender)
      throws IOException {
    int seq = sequence.incrementAndGet() & 0xffff;
    CompletableFuture<Long> reply = new CompletableFuture<>();
    outstanding.put(seq, reply);
    Scheduler.Timer t = scheduler.schedule(timeout.toNanos(), () -> reply.complete(-1L));
    long start = scheduler.nanoTime();
    try {
      sender.send(seq);
      long at = reply.get();
      t.cancel();
      return at < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(at - start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while pinging " + destination);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    } finally {
      outstanding.remove(seq);
    }
  }

  /** A reply with sequence number {@code sequence} arrived. */
  public void replied(int sequence) {
    CompletableFuture<Long> f = outstanding.get(sequence);
    if (f != null) {
      f.complete(scheduler.nanoTime());
    }
  }

  /** Ends every wait with no reply (the layer is closing). */
  public void cancelAll() {
    for (CompletableFuture<Long> f : outstanding.values()) {
      f.complete(-1L);
    }
  }
}
