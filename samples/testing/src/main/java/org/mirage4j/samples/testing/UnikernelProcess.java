package org.mirage4j.samples.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.mirage4j.testing.netns.Netns;

/**
 * A generated unikernel running in a child JVM, for end-to-end tests: it is started with the test's
 * class path, its stdout and stderr are collected line by line, and it is stopped with SIGTERM as a
 * user would. Time limits are safety nets for a hung process, never measurements.
 *
 * <p>A unikernel built with {@code net=direct} (its own TCP/IP stack over a TAP device) runs in a
 * network namespace made for it: the TAP device is created there, the kernel's end gets {@value
 * #KERNEL_IP}/24 and the unikernel {@code --interface} and {@code --ipv4=}{@value #STACK_IP}/24.
 * A test reaches it at {@link #host()}, from code run by {@link #onNetwork} (a socket opened there
 * belongs to the namespace and can then be used from any thread); {@link #get} does an HTTP GET.
 * On the host's sockets ({@code net=socket}) both are loopback and the test's own thread. Where
 * namespaces cannot be made (not root, no {@code ip}, no {@code /dev/net/tun}) the test skips with
 * the reason.
 */
public final class UnikernelProcess implements AutoCloseable {

  private static final Duration SAFETY_NET = Duration.ofSeconds(60);

  /** The kernel's end of the TAP device, in the unikernel's namespace. */
  static final String KERNEL_IP = "10.79.0.1";

  /** The direct stack's address. */
  static final String STACK_IP = "10.79.0.2";

  /** The TAP device, one per namespace. */
  static final String TAP = "m4jtap0";

  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private final Process process;
  private final String namespace;
  private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
  private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
  private final Thread outReader;
  private final Thread errReader;
  private final List<ServerSocket> relays = Collections.synchronizedList(new ArrayList<>());

  private UnikernelProcess(Process process, String namespace) {
    this.process = process;
    this.namespace = namespace;
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
    Properties info = unikernelInfo();
    String wiring = info.getProperty("main-class");
    if (wiring == null) {
      throw new IllegalStateException(infoFile() + " names no main-class");
    }
    boolean direct = List.of(info.getProperty("artifacts", "").split(" ")).contains("org.mirage4j:mirage4j-driver-tap");
    List<String> command = new ArrayList<>();
    String namespace = null;
    if (direct) {
      String why = Netns.unavailableReason();
      if (why != null) {
        why = "net=direct: this test runs the unikernel in a network namespace with a TAP device, and " + why;
        System.out.println("SKIPPED: " + why);
        Assumptions.abort(why);
      }
      namespace = "m4j-u" + ProcessHandle.current().pid() + "-" + NAMESPACES.incrementAndGet();
      makeNamespace(namespace);
      Collections.addAll(command, "ip", "netns", "exec", namespace);
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(wiring);
    if (direct) {
      command.add("--interface=" + TAP);
      command.add("--ipv4=" + STACK_IP + "/24");
    }
    Collections.addAll(command, args);
    try {
      return new UnikernelProcess(new ProcessBuilder(command).directory(workDir.toFile()).start(), namespace);
    } catch (IOException e) {
      if (namespace != null) {
        deleteNamespace(namespace);
      }
      throw new UncheckedIOException(e);
    }
  }

  private static void makeNamespace(String ns) {
    try {
      Netns.must("ip", "netns", "add", ns);
      Netns.must("ip", "-n", ns, "link", "set", "lo", "up");
      Netns.must("ip", "-n", ns, "tuntap", "add", "dev", TAP, "mode", "tap");
      Netns.must("ip", "-n", ns, "addr", "add", KERNEL_IP + "/24", "dev", TAP);
      Netns.must("ip", "-n", ns, "link", "set", TAP, "up");
    } catch (IOException e) {
      deleteNamespace(ns);
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteNamespace(String ns) {
    try {
      Netns.run(30, "ip", "-n", ns, "link", "del", TAP);
      Netns.run(30, "ip", "netns", "del", ns);
    } catch (IOException e) {
      // best effort: a namespace of a finished test holds nothing
    }
  }

  /** Where the test reaches the unikernel: loopback, or the direct stack's address. */
  public String host() {
    return namespace == null ? "127.0.0.1" : STACK_IP;
  }

  /**
   * A port on this host's 127.0.0.1 that reaches the unikernel's TCP {@code port}: that port itself
   * for the host's sockets; for the direct stack, a relay whose every connection is opened inside
   * the unikernel's namespace, so that a program that only knows loopback (a browser) can reach it.
   * The relay ends with {@link #close()}.
   */
  public int loopbackPort(int port) throws IOException {
    if (namespace == null) {
      return port;
    }
    ServerSocket relay = new ServerSocket();
    relay.bind(new InetSocketAddress("127.0.0.1", 0));
    relays.add(relay);
    Thread accept = new Thread(() -> {
      while (!relay.isClosed()) {
        try {
          Socket outer = relay.accept();
          Socket inner;
          try {
            inner = Netns.inside(namespace, () -> new Socket(STACK_IP, port));
          } catch (Exception e) {
            outer.close();
            continue;
          }
          copy(outer, inner);
          copy(inner, outer);
        } catch (IOException e) {
          return; // the relay was closed
        }
      }
    }, "relay-" + port);
    accept.setDaemon(true);
    accept.start();
    return relay.getLocalPort();
  }

  /** Copies {@code from}'s input to {@code to}'s output until the end, then half-closes {@code to}. */
  private static void copy(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      try (InputStream in = from.getInputStream()) {
        in.transferTo(to.getOutputStream());
        to.shutdownOutput();
      } catch (IOException e) {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // closing both is all that is left
        }
      }
    }, "relay-copy");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Runs {@code body} where the unikernel's network is: on this thread for the host's sockets, on
   * a thread inside its namespace for the direct stack.
   */
  public <T> T onNetwork(Callable<T> body) throws Exception {
    return namespace == null ? body.call() : Netns.inside(namespace, body);
  }

  /** What {@link #get} received. */
  public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    /** The body as UTF-8 text. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The first value of a header (names in any case), if there is one. */
    public Optional<String> header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).findFirst();
    }
  }

  /**
   * An HTTP GET of {@code path} on {@code port} of the unikernel, from where its network is.
   *
   * @param headers request headers as name, value, name, value...
   */
  public Response get(int port, String path, String... headers) throws Exception {
    return onNetwork(() -> {
      HttpURLConnection c = (HttpURLConnection) URI.create("http://" + host() + ":" + port + path).toURL().openConnection();
      c.setConnectTimeout(30_000);
      c.setReadTimeout(30_000);
      c.setRequestProperty("Connection", "close");
      for (int i = 0; i + 1 < headers.length; i += 2) {
        c.setRequestProperty(headers[i], headers[i + 1]);
      }
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      byte[] body = in == null ? new byte[0] : in.readAllBytes();
      if (in != null) {
        in.close();
      }
      Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      c.getHeaderFields().forEach((k, v) -> {
        if (k != null) {
          h.put(k, v);
        }
      });
      c.disconnect();
      return new Response(status, h, body);
    });
  }

  /** A TCP connection to {@code port} of the unikernel, opened where its network is. */
  public Socket connect(int port) throws Exception {
    return onNetwork(() -> {
      Socket s = new Socket();
      s.connect(new InetSocketAddress(host(), port), 30_000);
      s.setSoTimeout(30_000);
      return s;
    });
  }

  /**
   * The generated wiring class, as the last generation recorded it in {@code
   * <buildDir>/mirage/unikernel.properties} (the build passes {@code mirage.buildDir}).
   */
  static String wiringClass() {
    String main = unikernelInfo().getProperty("main-class");
    if (main == null) {
      throw new IllegalStateException(infoFile() + " names no main-class");
    }
    return main;
  }

  /**
   * The value a configure-time key had when the unikernel was generated ({@code "direct"} for a
   * build with {@code -Dmirage.keys=kv_ro=direct}), from {@code target/mirage/unikernel.properties}.
   */
  public static String configureKey(String name) {
    String value = unikernelInfo().getProperty("key." + name);
    if (value == null) {
      throw new IllegalArgumentException(infoFile() + " has no configure key '" + name + "'");
    }
    return value;
  }

  private static Path infoFile() {
    return Path.of(System.getProperty("mirage.buildDir", "target"), "mirage", "unikernel.properties");
  }

  private static Properties unikernelInfo() {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(infoFile())) {
      p.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("no " + infoFile() + ": the build did not run mirage:generate", e);
    }
    return p;
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

  /**
   * Sends SIGTERM and returns at once (see {@link #awaitExit()}). What the unikernel prints while
   * it stops is still collected ({@code Process.destroy()} would close the pipes first).
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** Sends SIGTERM and waits for the process to end; returns its exit status. */
  public int stop() throws InterruptedException {
    terminate();
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
    for (ServerSocket relay : List.copyOf(relays)) {
      try {
        relay.close();
      } catch (IOException e) {
        // nothing more to do for a relay
      }
    }
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (namespace != null) {
      deleteNamespace(namespace);
    }
  }
}
