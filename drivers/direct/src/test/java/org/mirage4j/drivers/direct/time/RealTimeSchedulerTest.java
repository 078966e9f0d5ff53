package org.mirage4j.drivers.direct.time;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.MonotonicClock;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RealTimeSchedulerTest {

  @Test
  void runsTasksInDeadlineOrderAndSkipsCancelledOnes() throws Exception {
    RealTimeScheduler s = RealTimeScheduler.create(System::nanoTime);
    List<Integer> ran = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(1);
    s.schedule(TimeUnit.MILLISECONDS.toNanos(60), () -> ran.add(3));
    s.schedule(TimeUnit.MILLISECONDS.toNanos(20), () -> ran.add(1));
    Scheduler.Timer cancelled = s.schedule(TimeUnit.MILLISECONDS.toNanos(40), () -> ran.add(99));
    s.schedule(TimeUnit.MILLISECONDS.toNanos(40), () -> ran.add(2));
    s.schedule(TimeUnit.MILLISECONDS.toNanos(80), done::countDown);
    cancelled.cancel();
    done.await();
    assertThat(ran).containsExactly(1, 2, 3).inOrder();
  }

  @Test
  void cancelledTasksDoNotPileUp() {
    RealTimeScheduler s = RealTimeScheduler.create(System::nanoTime);
    for (int i = 0; i < 100_000; i++) {
      s.schedule(TimeUnit.SECONDS.toNanos(60), () -> { }).cancel();
    }
    assertThat(s.queued()).isAtMost(8192);
  }

  @Test
  void aSchedulerClockIsUsedAsIs() {
    ClockScheduler sim = new ClockScheduler();
    assertThat(Scheduler.forClock(sim)).isSameInstanceAs(sim);
    MonotonicClock c = () -> 42L;
    assertThat(Scheduler.forClock(c)).isSameInstanceAs(Scheduler.forClock(c));
    assertThat(Scheduler.forClock(c).nanoTime()).isEqualTo(42L);
  }

  /** A clock that is its own scheduler, as the tests' virtual time is. */
  private static final class ClockScheduler implements Scheduler, MonotonicClock {
    @Override
    public long elapsedNanos() {
      return 0;
    }

    @Override
    public long nanoTime() {
      return 0;
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
      return () -> { };
    }
  }
}
