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

  /**
   * How long the network must stay quiescent, in real time, before time jumps. Long enough for an
   * application thread between two calls into the stack (a writer woken by an ACK, a ping that has
   * just resolved its neighbour) to make the next one, even on a loaded machine: a jump while it
   * waits for the CPU lands on the next timer, which may be its own timeout.
   */
  static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(3);

  private void loop() {
    long quietSince = -1;
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
          quietSince = -1;
        } else if (head != null && !frozen && quiescent.getAsBoolean()) {
          long t = System.nanoTime();
          if (quietSince < 0) {
            quietSince = t;
          } else if (t - quietSince >= QUIET_NANOS) {
            now = head.at;
            quietSince = -1;
            continue;
          }
          changed.awaitNanos(TimeUnit.MICROSECONDS.toNanos(200));
        } else {
          quietSince = -1;
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
