package org.mirage4j.samples.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * A generated unikernel running in a child JVM, for end-to-end tests: it is started with the test's
 * class path, its stdout and stderr are collected line by line, and it is stopped with SIGTERM as a
 * user would. Time limits are safety nets for a hung process, never measurements.
 */
public final class UnikernelProcess implements AutoCloseable {

  private static final Duration SAFETY_NET = Duration.ofSeconds(60);

  private final Process process;
  private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
  private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
  private final Thread outReader;
  private final Thread errReader;

  private UnikernelProcess(Process process) {
    this.process = process;
    this.outReader = pump(process.getInputStream(), stdout, "stdout");
    this.errReader = pump(process.getErrorStream(), stderr, "stderr");
  }

  /**
   * Starts the generated wiring class in {@code workDir} with the given command-line arguments.
   */
  public static UnikernelProcess start(Path workDir, String... args) {
    String target = System.getProperty("mirage.target", "unix");
    if (!target.equals("unix")) {
      String why = "target " + target + ": this test runs the unikernel on the host; its *GuestIT boots the guest"
          + " (mvn verify -Dmirage.target=" + target + ")";
      System.out.println("SKIPPED: " + why);
      Assumptions.abort(why);
    }
    String wiring = wiringClass();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(wiring);
    Collections.addAll(command, args);
    try {
      return new UnikernelProcess(new ProcessBuilder(command).directory(workDir.toFile()).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The generated wiring class, as the last generation recorded it in {@code
   * <buildDir>/mirage/unikernel.properties} (the build passes {@code mirage.buildDir}).
   */
  static String wiringClass() {
    java.nio.file.Path file = Path.of(System.getProperty("mirage.buildDir", "target"), "mirage", "unikernel.properties");
    try {
      for (String line : java.nio.file.Files.readAllLines(file)) {
        if (line.startsWith("main-class")) {
          return line.substring(line.indexOf('=') + 1).trim();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("no " + file + ": the build did not run mirage:generate", e);
    }
    throw new IllegalStateException(file + " names no main-class");
  }

  /** The sample's directory (where its config.mirage is), from the build. */
  public static Path sampleDir() {
    return Path.of(System.getProperty("mirage.sampleDir", "."));
  }

  /** A TCP port that was free a moment ago on loopback. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Thread pump(InputStream in, List<String> lines, String name) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                  }
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "unikernel-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Waits until stdout has a line matching {@code condition} and returns it.
   *
   * @throws AssertionError with everything printed so far, if the process ends or hangs first
   */
  public String awaitStdout(Predicate<String> condition) throws InterruptedException {
    long deadline = System.nanoTime() + SAFETY_NET.toNanos();
    synchronized (stdout) {
      while (true) {
        for (String line : stdout) {
          if (condition.test(line)) {
            return line;
          }
        }
        if (!process.isAlive() && !outReader.isAlive()) {
          throw new AssertionError("the unikernel ended (status " + process.exitValue() + ") without printing the expected line\n" + transcript());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no expected line within the safety net\n" + transcript());
        }
        stdout.wait(Math.max(1, Math.min(200, left / 1_000_000)));
      }
    }
  }

  /** Waits for the process to end by itself and returns its exit status. */
  public int awaitExit() throws InterruptedException {
    if (!process.waitFor(SAFETY_NET.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the unikernel did not end within the safety net\n" + transcript());
    }
    outReader.join(5000);
    errReader.join(5000);
    return process.exitValue();
  }

  /** Sends SIGTERM and waits for the process to end; returns its exit status. */
  public int stop() throws InterruptedException {
    process.destroy();
    return awaitExit();
  }

  /** Lines printed on stdout so far. */
  public List<String> stdout() {
    synchronized (stdout) {
      return List.copyOf(stdout);
    }
  }

  /** Lines printed on stderr so far. */
  public List<String> stderr() {
    synchronized (stderr) {
      return List.copyOf(stderr);
    }
  }

  /** Everything printed, for failure messages. */
  public String transcript() {
    return "--- stdout\n" + String.join("\n", stdout()) + "\n--- stderr\n" + String.join("\n", stderr());
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
