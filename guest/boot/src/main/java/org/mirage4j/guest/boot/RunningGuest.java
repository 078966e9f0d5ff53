package org.mirage4j.guest.boot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A booted guest: its emulator process, its console (every line kept, and passed on as it comes),
 * the host ports forwarded to it, and the unikernel's exit status once the guest's init reports it
 * ({@code mirage4j-guest: <name> exited with status N}) and powers off.
 */
public final class RunningGuest implements AutoCloseable {

  private static final Pattern EXIT = Pattern.compile("mirage4j-guest: (\\S+) exited with status (\\d+)(; rebooting)?");
  private static final Pattern GONE = Pattern.compile("mirage4j-xenbox: (\\S+) is gone \\(exit status (\\d+|unknown)\\)");

  private final Process process;
  private final List<PortForward> forwards;
  private final List<String> lines = new ArrayList<>();
  private final long started = System.nanoTime();
  private final boolean endsOnExitLine;
  private Integer status;
  private boolean ended;
  // a Xen box's dom0 speaks on the console: its "is gone" line, not the guest's exit line, ends
  // the guest (xl creates a guest that rebooted again)
  private boolean boxed;
  private boolean gone;

  RunningGuest(Process process, List<PortForward> forwards, Consumer<String> console) {
    this(process, forwards, console, false);
  }

  /**
   * @param endsOnExitLine whether the unikernel's exit line ends the guest (a Xen box: the machine
   *     stays up after its guest is gone) rather than the emulator's exit
   */
  RunningGuest(Process process, List<PortForward> forwards, Consumer<String> console, boolean endsOnExitLine) {
    this.process = process;
    this.endsOnExitLine = endsOnExitLine;
    this.forwards = List.copyOf(forwards);
    Thread reader = new Thread(() -> read(console), "guest-console-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  private void read(Consumer<String> console) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        // without carriage returns and terminal escapes, and a dom0less guest's lines without the
        // prefix Xen relays them with
        String clean = line.replace("\r", "").replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "")
            .replaceFirst("^\\(XEN\\) DOM[0-9]+: ", "");
        console.accept(clean);
        synchronized (this) {
          lines.add(clean);
          if (clean.startsWith("mirage4j-xenbox: ")) {
            boxed = true;
          }
          Matcher m = EXIT.matcher(clean);
          Matcher g = GONE.matcher(clean);
          if (g.find()) {
            gone = true;
            status = g.group(2).equals("unknown") ? null : Integer.valueOf(g.group(2));
          } else if (m.find() && !boxed) {
            // a guest that reboots (xl reboot) has not ended: its next exit line is the one
            status = m.group(3) != null ? null : Integer.valueOf(m.group(2));
          }
          notifyAll();
        }
      }
    } catch (IOException e) {
      // the emulator has gone
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }

  /** The host ports forwarded to the guest. */
  public List<PortForward> forwards() {
    return forwards;
  }

  /** The host port forwarded to {@code guestPort}. */
  public Optional<Integer> hostPort(int guestPort) {
    return forwards.stream().filter(f -> f.guestPort() == guestPort).map(PortForward::hostPort).findFirst();
  }

  /** The console so far. */
  public synchronized List<String> console() {
    return List.copyOf(lines);
  }

  /** Seconds since the emulator started. */
  public double uptimeSeconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  /**
   * Waits for a console line that {@code test} accepts.
   *
   * @return the line, or empty when the guest ended or {@code timeout} passed first
   */
  public synchronized Optional<String> awaitLine(Predicate<String> test, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (true) {
      for (; seen < lines.size(); seen++) {
        if (test.test(lines.get(seen))) {
          return Optional.of(lines.get(seen));
        }
      }
      long left = deadline - System.nanoTime();
      if (ended || left <= 0) {
        return Optional.empty();
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /**
   * Waits for the guest to power off.
   *
   * @return the unikernel's exit status as the guest's init reported it; empty when the guest
   *     stopped without reporting one (a kernel panic, a killed emulator) or {@code timeout} passed
   */
  public OptionalInt waitFor(Duration timeout) throws InterruptedException {
    if (endsOnExitLine) {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (this) {
        while (!(boxed ? gone : status != null) && !ended && System.nanoTime() < deadline) {
          TimeUnit.NANOSECONDS.timedWait(this, Math.min(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1)));
        }
        if (boxed && gone) {
          return status == null ? OptionalInt.empty() : OptionalInt.of(status);
        }
        if (!boxed && status != null) {
          return OptionalInt.of(status);
        }
      }
    }
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      return OptionalInt.empty();
    }
    synchronized (this) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!ended && System.nanoTime() < deadline) {
        TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
      }
      return status == null ? OptionalInt.empty() : OptionalInt.of(status);
    }
  }

  /**
   * Types a line on the guest's console (a Xen box's dom0 takes {@code xl} commands there:
   * {@code xl shutdown slides}).
   */
  public void send(String line) {
    try {
      var in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("the guest's console is closed", e);
    }
  }

  /** Whether the emulator still runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the emulator at once (the guest gets no shutdown). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
