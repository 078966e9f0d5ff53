package org.mirage4j.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.Device;
import org.mirage4j.api.ExitStatus;

/** The lifecycle: ordering and concurrency are checked with latches, never with timing. */
class LifecycleTest {

  /** Generous bound so that a broken implementation fails instead of hanging the build. */
  private static final long PATIENCE_SECONDS = 30;

  private final List<String> events = Collections.synchronizedList(new ArrayList<>());
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final List<Thread> hooks = new ArrayList<>();

  private Lifecycle lifecycle(int poolSize) {
    return new Lifecycle(
        "test", new PrintStream(err, true, StandardCharsets.UTF_8), hooks::add, poolSize);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** A device that records its connect and close, optionally blocking or failing. */
  class Recorder implements Device {
    final String id;
    final AtomicInteger connects = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    Runnable onConnect = () -> {};
    IOException failure;

    Recorder(String id) {
      this.id = id;
      events.add("new " + id);
    }

    @Override
    public void connect() throws IOException {
      connects.incrementAndGet();
      onConnect.run();
      if (failure != null) {
        events.add("fail " + id);
        throw failure;
      }
      events.add("connect " + id);
    }

    @Override
    public void close() {
      closes.incrementAndGet();
      events.add("close " + id);
    }
  }

  private static int index(List<String> list, String event) {
    int i = list.indexOf(event);
    assertThat(i).isAtLeast(0);
    return i;
  }

  @Test
  void connectsInDependencyOrderAndClosesInReverseAfterTheJobs() {
    Lifecycle lc = lifecycle(4);
    List<Recorder> made = Collections.synchronizedList(new ArrayList<>());
    Lifecycle.Handle<Recorder> net = lc.device("net", "config.mirage:3", () -> add(made, "net"));
    Lifecycle.Handle<Recorder> clock = lc.device("clock", "std.mirage:9", () -> add(made, "clock"));
    Lifecycle.Handle<Recorder> ip =
        lc.device("ip", "config.mirage:4", net, clock, (n, c) -> add(made, "ip", n, c));
    Lifecycle.Handle<Recorder> stack =
        lc.device("stack", "config.mirage:5", ip, i -> add(made, "stack", i));
    lc.job("app", "config.mirage:9", () -> () -> events.add("job sees " + stack.get().connects.get()));

    assertThat(lc.run()).isEqualTo(Exit.OK);

    List<String> ev = new ArrayList<>(events);
    assertThat(index(ev, "connect net")).isLessThan(index(ev, "new ip"));
    assertThat(index(ev, "connect clock")).isLessThan(index(ev, "new ip"));
    assertThat(index(ev, "connect ip")).isLessThan(index(ev, "new stack"));
    assertThat(index(ev, "connect stack")).isLessThan(index(ev, "job sees 1"));
    assertThat(index(ev, "job sees 1")).isLessThan(index(ev, "close stack"));
    // reverse of the connect order, each device once
    List<String> order = lc.connectOrder();
    List<String> closes = new ArrayList<>();
    for (String e : ev) {
      if (e.startsWith("close ")) {
        closes.add(e.substring(6));
      }
    }
    List<String> reversed = new ArrayList<>(order);
    Collections.reverse(reversed);
    assertThat(closes).isEqualTo(reversed);
    assertThat(order).hasSize(4);
    for (Recorder r : made) {
      assertThat(r.connects.get()).isEqualTo(1);
      assertThat(r.closes.get()).isEqualTo(1);
    }
    assertThat(err()).isEmpty();
  }

  private Recorder add(List<Recorder> made, String id, Device... received) {
    Recorder r = new Recorder(id);
    for (Device d : received) {
      assertThat(((Recorder) d).connects.get()).isEqualTo(1);
    }
    made.add(r);
    return r;
  }

  @Test
  void independentDevicesConnectConcurrently() {
    // each of a and b waits inside connect until the other has entered connect: only possible if
    // they run at the same time; the await's bound only stops a broken implementation hanging
    CountDownLatch bothInside = new CountDownLatch(2);
    AtomicReference<Boolean> sawEachOther = new AtomicReference<>(true);
    Runnable meet =
        () -> {
          bothInside.countDown();
          try {
            if (!bothInside.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
              sawEachOther.set(false);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Lifecycle lc = lifecycle(4);
    lc.device("a", "c:1", () -> withConnect(new Recorder("a"), meet));
    lc.device("b", "c:2", () -> withConnect(new Recorder("b"), meet));
    assertThat(lc.run()).isEqualTo(Exit.OK);
    assertThat(sawEachOther.get()).isTrue();
  }

  @Test
  void aSharedDeviceIsCreatedAndConnectedOnce() {
    Lifecycle lc = lifecycle(4);
    AtomicInteger created = new AtomicInteger();
    List<Recorder> made = Collections.synchronizedList(new ArrayList<>());
    Lifecycle.Handle<Recorder> shared =
        lc.device("clock", "c:1", () -> {
          created.incrementAndGet();
          return add(made, "clock");
        });
    Lifecycle.Handle<Recorder> a = lc.device("a", "c:2", shared, s -> add(made, "a", s));
    Lifecycle.Handle<Recorder> b = lc.device("b", "c:3", shared, s -> add(made, "b", s));
    // a device received twice is one dependency
    lc.device("c", "c:4", shared, a, b, shared, (s, x, y, again) -> add(made, "c", s, x, y, again));
    lc.job("j1", "c:5", () -> () -> shared.get());
    lc.job("j2", "c:6", () -> () -> shared.get());
    assertThat(lc.run()).isEqualTo(Exit.OK);
    assertThat(created.get()).isEqualTo(1);
    assertThat(made).hasSize(4);
    for (Recorder r : made) {
      assertThat(r.connects.get()).isEqualTo(1);
      assertThat(r.closes.get()).isEqualTo(1);
    }
    assertThat(lc.connectOrder().get(0)).isEqualTo("clock");
    assertThat(lc.connectOrder().get(3)).isEqualTo("c");
  }

  private static Recorder withConnect(Recorder r, Runnable onConnect) {
    r.onConnect = onConnect;
    return r;
  }

  @Test
  void aConnectFailureClosesWhatIsConnectedInReverseAndNamesTheDevice() {
    Lifecycle lc = lifecycle(1); // one thread: a fully determined order
    Lifecycle.Handle<Recorder> net = lc.device("net", "config.mirage:3", () -> new Recorder("net"));
    Lifecycle.Handle<Recorder> eth =
        lc.device("eth", "config.mirage:4", net, n -> new Recorder("eth"));
    Lifecycle.Handle<Recorder> stack =
        lc.device(
            "stack",
            "config.mirage:12",
            eth,
            e -> {
              Recorder r = new Recorder("stack");
              r.failure = new IOException("no route to 10.0.0.1");
              return r;
            });
    lc.device("http", "config.mirage:13", stack, s -> new Recorder("http"));
    // becomes ready together with 'stack' and is queued behind it on the one thread, so it is
    // only reached after 'stack' failed: it is never created
    lc.device("arp", "config.mirage:5", eth, e -> new Recorder("arp"));
    lc.job("app", "config.mirage:20", () -> () -> events.add("job ran"));

    assertThat(lc.run()).isEqualTo(Exit.FAILURE);
    assertThat(err())
        .isEqualTo(
            "error: device 'stack' (config.mirage:12) failed to connect: no route to 10.0.0.1\n");
    assertThat(events)
        .containsExactly(
            "new net", "connect net", "new eth", "connect eth", "new stack", "fail stack",
            "close stack", "close eth", "close net")
        .inOrder();
  }

  @Test
  void aFactoryFailureIsReportedWithoutAStackTrace() {
    // the tap fails only once the clock is connected, so the clock must be closed again
    CountDownLatch clockConnected = new CountDownLatch(1);
    Lifecycle lc = lifecycle(2);
    lc.device("clock", "std.mirage:9", () -> withConnect(new Recorder("clock"), clockConnected::countDown));
    lc.device("tap", "config.mirage:7", () -> {
      await(clockConnected);
      throw new IllegalArgumentException("/dev/net/tun: Permission denied");
    });
    assertThat(lc.run()).isEqualTo(Exit.FAILURE);
    assertThat(err())
        .isEqualTo(
            "error: device 'tap' (config.mirage:7) could not be created: /dev/net/tun: Permission denied\n");
    assertThat(events).containsAtLeast("connect clock", "close clock").inOrder();
  }

  /** A recorder that also records {@link Device#stop()}. */
  class Stopper extends Recorder {
    Stopper(String id) {
      super(id);
    }

    @Override
    public void stop() {
      events.add("stop " + id);
    }
  }

  @Test
  void everyDeviceStopsBeforeAnyIsClosed() throws Exception {
    // a server and the store its responses read from do not depend on each other: whatever order
    // they connected in, the server finishes its requests before the store is closed
    Lifecycle lc = lifecycle(2);
    Lifecycle.Handle<Stopper> stack = lc.device("stack", "config.mirage:3", () -> new Stopper("stack"));
    lc.device("http", "config.mirage:4", stack, s -> new Stopper("http"));
    lc.device("store", "config.mirage:5", () -> new Stopper("store"));
    lc.job("app", "config.mirage:9", () -> () -> {});
    assertThat(lc.run()).isEqualTo(Exit.OK);
    List<String> ev = new ArrayList<>(events);
    int lastStop = -1;
    int firstClose = Integer.MAX_VALUE;
    List<String> stops = new ArrayList<>();
    for (int i = 0; i < ev.size(); i++) {
      if (ev.get(i).startsWith("stop ")) {
        lastStop = i;
        stops.add(ev.get(i).substring(5));
      } else if (ev.get(i).startsWith("close ")) {
        firstClose = Math.min(firstClose, i);
      }
    }
    assertThat(lastStop).isLessThan(firstClose);
    List<String> reversed = new ArrayList<>(lc.connectOrder());
    Collections.reverse(reversed);
    assertThat(stops).isEqualTo(reversed); // once each, in reverse connect order
    // a second shutdown (the hook after the main thread) stops and closes nothing again
    lc.shutdown();
    assertThat(events).hasSize(ev.size());
  }

  @Test
  void aDriverThatRefusesItsOptionValuesEndsTheRunWithUsage() {
    Lifecycle lc = lifecycle(1);
    lc.device("http", "config.mirage:7", () -> {
      throw new UsageException("http_max_connections must be at least 1, got 0");
    });
    assertThat(lc.run()).isEqualTo(Exit.USAGE);
    assertThat(err())
        .isEqualTo(
            "error: device 'http' (config.mirage:7) cannot use its options: http_max_connections must be at least 1, got 0\n");
  }

  @Test
  void aDeviceConnectingWhileAnotherFailsIsClosedOnce() {
    // 'slow' is inside connect when 'bad' starts failing; whichever finishes first, 'slow' must be
    // closed exactly once
    CountDownLatch slowInside = new CountDownLatch(1);
    CountDownLatch badFailing = new CountDownLatch(1);
    Lifecycle lc = lifecycle(2);
    List<Recorder> made = Collections.synchronizedList(new ArrayList<>());
    lc.device("slow", "c:1", () -> {
      Recorder r = add(made, "slow");
      r.onConnect = () -> {
        slowInside.countDown();
        await(badFailing);
      };
      return r;
    });
    lc.device("bad", "c:2", () -> {
      Recorder r = add(made, "bad");
      r.onConnect = () -> {
        await(slowInside);
        badFailing.countDown();
      };
      r.failure = new IOException("broken");
      return r;
    });
    assertThat(lc.run()).isEqualTo(Exit.FAILURE);
    assertThat(err()).isEqualTo("error: device 'bad' (c:2) failed to connect: broken\n");
    Recorder slowDevice = made.stream().filter(r -> r.id.equals("slow")).findFirst().orElseThrow();
    assertThat(slowDevice.connects.get()).isEqualTo(1);
    assertThat(slowDevice.closes.get()).isEqualTo(1);
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void shutdownClosesEveryDeviceOnceInReverseWhileJobsRun() throws Exception {
    CountDownLatch jobRunning = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Lifecycle lc = lifecycle(1);
    Lifecycle.Handle<Recorder> a = lc.device("a", "c:1", () -> new Recorder("a"));
    Lifecycle.Handle<Recorder> b = lc.device("b", "c:2", a, x -> new Recorder("b"));
    lc.device("c", "c:3", b, x -> new Recorder("c"));
    lc.job("server", "c:4", () -> () -> {
      jobRunning.countDown();
      release.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
    });
    AtomicInteger status = new AtomicInteger(-1);
    Thread main = new Thread(() -> status.set(lc.run()));
    main.start();
    assertThat(jobRunning.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(hooks).hasSize(1);

    // what SIGTERM does: run the registered hook (twice, to check it is idempotent)
    Thread hook = hooks.get(0);
    hook.run();
    hook.run();
    release.countDown();
    main.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
    assertThat(main.isAlive()).isFalse();

    assertThat(events)
        .containsExactly(
            "new a", "connect a", "new b", "connect b", "new c", "connect c",
            "close c", "close b", "close a")
        .inOrder();
    assertThat(status.get()).isEqualTo(Exit.FAILURE);
    assertThat(err()).isEqualTo("test: stopping: closing 3 devices in reverse order\n");
  }

  @Test
  void whenTheJvmExitsTheMainThreadLeavesTheStatusToTheJvm() throws Exception {
    CountDownLatch jobRunning = new CountDownLatch(1);
    Lifecycle lc = lifecycle(1);
    lc.device("a", "c:1", () -> new Recorder("a"));
    lc.job("server", "c:2", () -> () -> {
      jobRunning.countDown();
      new CountDownLatch(1).await(PATIENCE_SECONDS, TimeUnit.SECONDS);
    });
    AtomicInteger status = new AtomicInteger(-1);
    Thread main = new Thread(() -> status.set(lc.run()));
    main.start();
    assertThat(jobRunning.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();

    // what the JVM does on SIGTERM: start the hook thread; the main thread must not go on to call
    // System.exit(1), which would race the JVM's halt(143)
    Thread hook = hooks.get(0);
    hook.start();
    hook.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
    assertThat(hook.isAlive()).isFalse();
    assertThat(events).containsExactly("new a", "connect a", "close a").inOrder();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    while (main.getState() != Thread.State.WAITING && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertThat(main.getState()).isEqualTo(Thread.State.WAITING);
    assertThat(status.get()).isEqualTo(-1);

    // (only a test interrupts it; the JVM halts instead)
    main.interrupt();
    main.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
    assertThat(main.isAlive()).isFalse();
    assertThat(status.get()).isEqualTo(Exit.FAILURE);
  }

  @Test
  void jobsRunConcurrentlyAndTheRunEndsWhenAllReturn() {
    CountDownLatch both = new CountDownLatch(2);
    AtomicReference<Boolean> met = new AtomicReference<>(true);
    Lifecycle lc = lifecycle(2);
    lc.device("d", "c:1", () -> new Recorder("d"));
    for (String name : List.of("one", "two")) {
      lc.job(name, "c:9", () -> () -> {
        both.countDown();
        if (!both.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
          met.set(false);
        }
        events.add("done " + name);
      });
    }
    assertThat(lc.run()).isEqualTo(Exit.OK);
    assertThat(met.get()).isTrue();
    assertThat(events).containsAtLeast("done one", "close d");
    assertThat(index(events, "close d")).isGreaterThan(index(events, "done one"));
    assertThat(index(events, "close d")).isGreaterThan(index(events, "done two"));
  }

  @Test
  void aFailingJobIsReportedAndTheDevicesAreClosed() {
    Lifecycle lc = lifecycle(2);
    lc.device("d", "c:1", () -> new Recorder("d"));
    lc.job("app", "config.mirage:20", () -> () -> {
      throw new IllegalStateException("port 80 is taken");
    });
    assertThat(lc.run()).isEqualTo(Exit.FAILURE);
    assertThat(err()).isEqualTo("error: job 'app' (config.mirage:20) failed: port 80 is taken\n");
    assertThat(events).contains("close d");
  }

  @Test
  void aJobChoosesTheExitStatusAndTheDevicesAreStillClosed() {
    Lifecycle lc = lifecycle(2);
    lc.device("d", "c:1", () -> new Recorder("d"));
    lc.job("lottery", "config.mirage:20", () -> () -> {
      throw ExitStatus.of(5);
    });
    assertThat(lc.run()).isEqualTo(5);
    assertThat(err()).isEmpty();
    assertThat(events).contains("close d");
  }

  @Test
  void aReasonIsOneLineAndZeroIsSuccess() {
    Lifecycle lc = lifecycle(2);
    lc.device("d", "c:1", () -> new Recorder("d"));
    lc.job("app", "config.mirage:20", () -> () -> {
      throw ExitStatus.of(6, "the disk\nlost");
    });
    assertThat(lc.run()).isEqualTo(6);
    assertThat(err()).isEqualTo("test: exiting with status 6: the disk lost\n");

    Lifecycle zero = lifecycle(1);
    zero.job("app", "c:2", () -> () -> {
      throw ExitStatus.of(0);
    });
    assertThat(zero.run()).isEqualTo(Exit.OK);
  }

  @Test
  void theFirstJobToChooseEndsTheRunWithoutWaitingForTheOthers() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    Lifecycle lc = lifecycle(2);
    lc.device("d", "c:1", () -> new Recorder("d"));
    lc.job("server", "c:8", () -> () -> {
      try {
        never.await(); // a server that never returns by itself
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    lc.job("check", "c:9", () -> () -> {
      throw ExitStatus.of(7);
    });
    assertThat(lc.run()).isEqualTo(7);
    assertThat(events).contains("close d");
    never.countDown();
  }

  @Test
  void aJobsConstructorMayChooseTheStatus() {
    Lifecycle lc = lifecycle(1);
    lc.device("d", "c:1", () -> new Recorder("d"));
    lc.job("app", "c:9", () -> {
      throw ExitStatus.of(3);
    });
    assertThat(lc.run()).isEqualTo(3);
    assertThat(events).contains("close d");
  }

  @Test
  void aStatusOutOfRangeIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ExitStatus.of(-1));
    assertThrows(IllegalArgumentException.class, () -> ExitStatus.of(126));
    assertThat(ExitStatus.of(125).status()).isEqualTo(125);
  }

  @Test
  void aJobThatCannotBeCreatedIsReported() {
    Lifecycle lc = lifecycle(2);
    lc.device("d", "c:1", () -> new Recorder("d"));
    lc.job("app", "config.mirage:20", () -> {
      throw new IOException();
    });
    assertThat(lc.run()).isEqualTo(Exit.FAILURE);
    assertThat(err())
        .isEqualTo("error: job 'app' (config.mirage:20) could not be created: java.io.IOException\n");
  }

  @Test
  void aFactoryReceivesItsDevicesConnectedInTheOrderGiven() {
    Lifecycle lc = lifecycle(4);
    List<Recorder> made = Collections.synchronizedList(new ArrayList<>());
    List<Lifecycle.Handle<Recorder>> six = new ArrayList<>();
    for (String id : List.of("a", "b", "c", "d", "e", "f")) {
      six.add(lc.device(id, "c:1", () -> add(made, id)));
    }
    // 'six' and 'seven' connect concurrently: each records what it received in a list of its own
    List<String> bySix = new ArrayList<>();
    List<String> bySeven = new ArrayList<>();
    lc.device("six", "c:2", six.get(0), six.get(1), six.get(2), six.get(3), six.get(4), six.get(5),
        (a, b, c, d, e, f) -> {
          for (Recorder r : List.of(a, b, c, d, e, f)) {
            bySix.add(r.id);
          }
          return add(made, "six", a, b, c, d, e, f);
        });
    // more than a typed factory takes: by position, each device once however often it is listed
    List<Lifecycle.Handle<Recorder>> seven = new ArrayList<>(six);
    seven.add(six.get(0));
    lc.device("seven", "c:3", seven, in -> {
      for (int i = 0; i < in.size(); i++) {
        bySeven.add(in.get(i, Recorder.class).id);
      }
      return add(made, "seven", in.get(6, Recorder.class));
    });
    assertThat(lc.run()).isEqualTo(Exit.OK);
    assertThat(bySix).containsExactly("a", "b", "c", "d", "e", "f").inOrder();
    assertThat(bySeven).containsExactly("a", "b", "c", "d", "e", "f", "a").inOrder();
    List<String> order = lc.connectOrder();
    assertThat(order).hasSize(8);
    assertThat(order.subList(6, 8)).containsExactly("six", "seven");
    for (Recorder r : made) {
      assertThat(r.connects.get()).isEqualTo(1);
    }
  }

  @Test
  void registrationIsChecked() {
    Lifecycle lc = lifecycle(1);
    Lifecycle.Handle<Recorder> foreign = lifecycle(1).device("x", "c:1", () -> new Recorder("x"));
    assertThrows(IllegalArgumentException.class, () -> lc.device("y", "c:2", foreign, f -> new Recorder("y")));
    assertThrows(IllegalArgumentException.class,
        () -> lc.device("y", "c:2", List.of(foreign), in -> new Recorder("y")));
    Lifecycle.Handle<Recorder> early = lc.device("z", "c:3", () -> new Recorder("z"));
    assertThrows(IllegalStateException.class, early::get);
    assertThat(lc.run()).isEqualTo(Exit.OK);
    assertThrows(IllegalStateException.class, lc::run);
  }
}
