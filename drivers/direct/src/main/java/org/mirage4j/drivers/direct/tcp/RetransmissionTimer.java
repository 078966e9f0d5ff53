package org.mirage4j.drivers.direct.tcp;

import java.util.function.Consumer;
import org.mirage4j.drivers.direct.time.Scheduler;

/**
 * A connection's retransmission timer (RFC 6298): the RTT estimator (SRTT, RTTVAR, RTO), one timed
 * segment per window under Karn's rule, exponential back-off, and the timer itself.
 *
 * <p>The timer restarts on every ACK that acknowledges new data, so restarting must be cheap: it
 * moves a deadline, and the scheduled task, when it fires before a deadline that moved later, just
 * sleeps on ({@link #expire} answers false and reschedules). When it fires at or after the
 * deadline, {@code expire} answers true and the owner handles the expiry. The owner's lock guards
 * every method; the task calls the owner's handler with its token, and the handler, under that
 * lock, asks {@link #expire(Object)} whether the token is still current.
 */
final class RetransmissionTimer {

  private final Scheduler scheduler;
  private final Consumer<Object> handler;

  private long srtt = -1;
  private long rttvar;
  private long rto = TcpParameters.RTO_INITIAL;
  private int backoff;

  private boolean timing;
  private long timedSeq;
  private long timedAt;

  private boolean armed;
  private long deadline;
  private Scheduler.Timer task;
  private long taskAt;
  private Object token;

  /**
   * @param handler called on the scheduler's thread, with the token of the task that fired, when a
   *     scheduled task comes due; it takes the owner's lock and calls {@link #expire(Object)}
   */
  RetransmissionTimer(Scheduler scheduler, Consumer<Object> handler) {
    this.scheduler = scheduler;
    this.handler = handler;
  }

  // ---------------------------------------------------------------- estimator (RFC 6298 2)

  /** Takes one round-trip-time measurement. */
  void sample(long r) {
    if (srtt < 0) {
      srtt = r;
      rttvar = r / 2;
    } else {
      rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
      srtt = (7 * srtt + r) / 8;
    }
    rto = Math.min(TcpParameters.RTO_MAX, Math.max(TcpParameters.RTO_MIN,
        srtt + Math.max(TcpParameters.CLOCK_GRANULARITY, 4 * rttvar)));
  }

  /** SRTT in nanoseconds, or -1 before the first sample. */
  long srtt() {
    return srtt;
  }

  long rttvar() {
    return rttvar;
  }

  /** The RTO without back-off. */
  long rto() {
    return rto;
  }

  /** The RTO with back-off applied (RFC 6298 5.5), at most {@link TcpParameters#RTO_MAX}. */
  long currentRto() {
    return Math.min(TcpParameters.RTO_MAX, rto << Math.min(backoff, 16));
  }

  /** Expiries since data was last acknowledged. */
  int backoff() {
    return backoff;
  }

  /** Doubles the RTO for the next arming (RFC 6298 5.5). */
  void backOff() {
    backoff++;
  }

  /** New data was acknowledged: the RTO returns to the estimate. */
  void resetBackoff() {
    backoff = 0;
  }

  // ---------------------------------------------------------------- RTT measurement (Karn)

  /** Whether a segment is being timed. */
  boolean timing() {
    return timing;
  }

  /** Sent new data ending at {@code endSeq}: times it unless a segment is timed already. */
  void sent(long endSeq) {
    if (!timing) {
      timing = true;
      timedSeq = endSeq;
      timedAt = scheduler.nanoTime();
    }
  }

  /** Retransmitted from {@code seq} on: a timed segment at or after it yields no sample (Karn). */
  void retransmitted(long seq) {
    if (timing && timedSeq > seq) {
      timing = false;
    }
  }

  /** Stops timing, with no sample (a loss was detected). */
  void stopTiming() {
    timing = false;
  }

  /** SND.UNA moved to {@code ack}: samples the RTT if the timed segment is now acknowledged. */
  void acknowledged(long ack) {
    if (timing && ack > timedSeq) {
      timing = false;
      sample(scheduler.nanoTime() - timedAt);
    }
  }

  // ---------------------------------------------------------------- the timer (RFC 6298 5)

  /** Whether the timer runs. */
  boolean armed() {
    return armed;
  }

  /** (Re)starts the timer to expire one {@linkplain #currentRto RTO} from now. */
  void start() {
    long now = scheduler.nanoTime();
    armed = true;
    deadline = now + currentRto();
    if (task == null || taskAt > deadline) {
      schedule(now);
    }
  }

  /** Stops the timer; a task still scheduled will find it stopped and do nothing. */
  void stop() {
    armed = false;
  }

  /** Stops the timer and cancels its task (the connection is gone). */
  void release() {
    armed = false;
    if (task != null) {
      task.cancel();
      task = null;
    }
    token = null;
  }

  /**
   * Called by the handler, under the owner's lock, with the token its task carried.
   *
   * @return true if the timer expired now (it is then stopped); false if the token is stale, the
   *     timer was stopped, or its deadline moved later (the task is then rescheduled)
   */
  boolean expire(Object taskToken) {
    if (taskToken != token) {
      return false;
    }
    task = null;
    if (!armed) {
      return false;
    }
    long now = scheduler.nanoTime();
    if (now < deadline) {
      schedule(now);
      return false;
    }
    armed = false;
    return true;
  }

  private void schedule(long now) {
    if (task != null) {
      task.cancel();
    }
    Object t = new Object();
    token = t;
    taskAt = deadline;
    task = scheduler.schedule(deadline - now, () -> handler.accept(t));
  }
}
