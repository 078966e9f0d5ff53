package org.mirage4j.drivers.direct;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.mirage4j.api.MonotonicClock;
import org.mirage4j.drivers.direct.time.Scheduler;

/**
 * Virtual time for tests. In manual mode the test moves time with {@link #advance}; in automatic
 * mode ({@link #start}) a thread runs due tasks and, whenever the simulated network is quiescent,
 * jumps straight to the next timer, so a 60-second TIME_WAIT or a back-off of retransmissions costs
 * no real time.
 */
final class SimScheduler implements Scheduler, MonotonicClock {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private final AtomicLong seq = new AtomicLong();
  private volatile long now = 1_000_000_000L;
  private volatile BooleanSupplier quiescent = () -> true;
  private volatile boolean running;
  /** While set, automatic mode runs due tasks but never moves time forward. */
  volatile boolean frozen;
  private Thread thread;
  final AtomicLong failures = new AtomicLong();

  @Override
  public long elapsedNanos() {
    return now;
  }

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public Timer schedule(long delayNanos, Runnable task) {
    Task t = new Task(now + Math.max(0, delayNanos), seq.incrementAndGet(), task);
    lock.lock();
    try {
      queue.add(t);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    return t;
  }

  /** Pending (not cancelled) tasks. */
  int pendingTasks() {
    lock.lock();
    try {
      return (int) queue.stream().filter(t -> !t.cancelled).count();
    } finally {
      lock.unlock();
    }
  }

  /** Manual mode: runs every task due within {@code nanos} from now, in time order. */
  void advance(long nanos) {
    long target = now + nanos;
    while (true) {
      Task t;
      lock.lock();
      try {
        t = queue.peek();
        if (t == null || t.at > target) {
          break;
        }
        queue.poll();
        if (t.at > now) {
          now = t.at;
        }
      } finally {
        lock.unlock();
      }
      runTask(t);
    }
    now = Math.max(now, target);
  }

  /** Automatic mode: time jumps when {@code quiescent} has held for a short real-time while. */
  void start(BooleanSupplier quiescent) {
    this.quiescent = quiescent;
    running = true;
    thread = new Thread(this::loop, "sim-scheduler");
    thread.setDaemon(true);
    thread.start();
  }

  void halt() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void loop() {
    int idleChecks = 0;
    while (running) {
      Task due = null;
      lock.lock();
      try {
        Task head = queue.peek();
        while (head != null && head.cancelled) {
          queue.poll();
          head = queue.peek();
        }
        if (head != null && head.at <= now) {
          due = queue.poll();
          idleChecks = 0;
        } else if (head != null && !frozen && quiescent.getAsBoolean()) {
          // About 1 ms of real quiescence before jumping: gives application threads that are
          // between two calls into the stack time to make them, even on a loaded machine.
          if (++idleChecks >= 5) {
            now = head.at;
            idleChecks = 0;
            continue;
          }
          changed.awaitNanos(TimeUnit.MICROSECONDS.toNanos(200));
        } else {
          idleChecks = 0;
          changed.awaitNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      if (due != null) {
        runTask(due);
      }
    }
  }

  private void runTask(Task t) {
    if (t.cancelled) {
      return;
    }
    try {
      t.task.run();
    } catch (RuntimeException | Error e) {
      failures.incrementAndGet();
      e.printStackTrace();
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
