package org.mirage4j.drivers.direct.time;

import java.util.Map;
import java.util.PriorityQueue;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.mirage4j.api.MonotonicClock;

/** A {@link Scheduler} driven by a real clock, with one daemon thread that runs due tasks. */
public final class RealTimeScheduler implements Scheduler {

  private static final Map<Object, Scheduler> BY_CLOCK = new WeakHashMap<>();
  private static final MonotonicClock SYSTEM = System::nanoTime;

  private final MonotonicClock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private static final int PURGE_THRESHOLD = 4096;
  private int lastPurgeSize = PURGE_THRESHOLD / 2;

  /** A scheduler of its own for {@code clock} (tests). */
  static RealTimeScheduler create(MonotonicClock clock) {
    return new RealTimeScheduler(clock);
  }

  /** See {@link Scheduler#forClock}. */
  public static synchronized Scheduler forClock(MonotonicClock clock) {
    MonotonicClock c = clock == null ? SYSTEM : clock;
    if (c instanceof Scheduler s) {
      return s;
    }
    return BY_CLOCK.computeIfAbsent(c, k -> new RealTimeScheduler((MonotonicClock) k));
  }

  /** The scheduler of the JVM's own monotonic clock. */
  public static Scheduler system() {
    return forClock(SYSTEM);
  }

  private RealTimeScheduler(MonotonicClock clock) {
    this.clock = clock;
    Thread t = new Thread(this::run, "mirage4j-direct-timers");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public long nanoTime() {
    return clock.elapsedNanos();
  }

  @Override
  public Timer schedule(long delayNanos, Runnable task) {
    Task t = new Task(nanoTime() + Math.max(0, delayNanos), sequence.incrementAndGet(), task);
    lock.lock();
    try {
      // Cancelled tasks wait in the queue until due; restarted timers (one per ACK) would pile up.
      if (queue.size() >= PURGE_THRESHOLD && queue.size() >= 2 * lastPurgeSize) {
        queue.removeIf(x -> x.cancelled);
        lastPurgeSize = Math.max(PURGE_THRESHOLD / 2, queue.size());
      }
      queue.add(t);
      if (queue.peek() == t) {
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
    return t;
  }

  /** Tasks in the queue, cancelled ones included (for tests). */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  long failures() {
    return failures.get();
  }

  private void run() {
    while (true) {
      Task due;
      lock.lock();
      try {
        while (true) {
          Task head = queue.peek();
          if (head == null) {
            changed.awaitUninterruptibly();
            continue;
          }
          if (head.cancelled) {
            queue.poll();
            continue;
          }
          long wait = head.at - nanoTime();
          if (wait <= 0) {
            due = queue.poll();
            break;
          }
          try {
            changed.awaitNanos(Math.min(wait, TimeUnit.SECONDS.toNanos(1)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      } finally {
        lock.unlock();
      }
      if (!due.cancelled) {
        try {
          due.task.run();
        } catch (RuntimeException | Error e) {
          failures.incrementAndGet();
        }
      }
    }
  }

  private static final class Task implements Timer, Comparable<Task> {
    final long at;
    final long seq;
    final Runnable task;
    volatile boolean cancelled;

    Task(long at, long seq, Runnable task) {
      this.at = at;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public int compareTo(Task o) {
      int c = Long.compare(at, o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
