package org.mirage4j.drivers.direct.tcp;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.mirage4j.drivers.direct.time.Scheduler;

/** A mock clock: time moves only when the test calls {@link #advance}, which runs due tasks. */
final class ManualScheduler implements Scheduler {
  private long now = 5_000_000_000L;
  private long sequence;
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  /** Every task ever scheduled, cancelled or not, in order (to run a stale one by hand). */
  final List<Runnable> scheduled = new ArrayList<>();

  private final class Task implements Timer, Comparable<Task> {
    final long at;
    final long seq = sequence++;
    final Runnable run;
    boolean cancelled;

    Task(long at, Runnable run) {
      this.at = at;
      this.run = run;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Task o) {
      return at != o.at ? Long.compare(at, o.at) : Long.compare(seq, o.seq);
    }
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Timer schedule(long delayNanos, Runnable task) {
    Task t = new Task(now + Math.max(0, delayNanos), task);
    queue.add(t);
    scheduled.add(task);
    return t;
  }

  /** Moves time forward by {@code nanos}, running every task that comes due, in order. */
  void advance(long nanos) {
    long end = now + nanos;
    while (!queue.isEmpty() && queue.peek().at <= end) {
      Task t = queue.poll();
      now = Math.max(now, t.at);
      if (!t.cancelled) {
        t.run.run();
      }
    }
    now = end;
  }

  /** Tasks scheduled and not cancelled. */
  int pending() {
    return (int) queue.stream().filter(t -> !t.cancelled).count();
  }
}
