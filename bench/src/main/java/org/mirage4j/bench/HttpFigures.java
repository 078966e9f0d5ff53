package org.mirage4j.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The static-website unikernel against nginx and the JDK's {@code com.sun.net.httpserver}, serving
 * the same {@code htdocs/}, loaded by {@code wrk} in the same run: requests per second and p99
 * latency for one persistent connection, 16 and 64, and a new connection per request (1 and 16
 * clients), each with its ratio to nginx and the aims of issue 13 beside it.
 *
 * <p>Each server runs in its own process (nginx with 2 workers, as many as this machine has cores
 * here; the unikernel and the JDK server in their JVMs with default options, as a user runs them);
 * the scenarios are run server after server, so that every server meets the same machine load, and
 * each is warmed up first. wrk's latencies include its correction for coordinated omission. With
 * {@code --direct} (root), the same over mirage4j's direct stack: the unikernel configured {@code
 * net=direct} on a TAP device in a network namespace of its own, against nginx and the JDK server
 * in a second namespace reached over a veth pair, wrk in the first.
 *
 * <p>Usage (from the repository root; {@code bench/http-figures.sh} installs wrk and nginx from
 * Debian when it can): {@code java -cp bench/target/benchmarks.jar org.mirage4j.bench.HttpFigures
 * [seconds=10] [--direct]}.
 */
public final class HttpFigures {

  private HttpFigures() {}

  static final long PID = ProcessHandle.current().pid();

  /** One load: what wrk is told. */
  record Scenario(String name, int threads, int connections, boolean close) {}

  static final List<Scenario> SCENARIOS = List.of(
      new Scenario("keep-alive, 1 connection", 1, 1, false),
      new Scenario("keep-alive, 16 connections", 2, 16, false),
      new Scenario("keep-alive, 64 connections", 2, 64, false),
      new Scenario("new connection per request, 1 client", 1, 1, true),
      new Scenario("new connection per request, 16 clients", 2, 16, true));

  /** What wrk measured. */
  record Figure(double requestsPerSecond, double p99Millis, long errors) {}

  /** A server under test: how to reach it and how to stop it. */
  interface Server extends AutoCloseable {
    String name();

    String url();

    @Override
    void close();
  }

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    int seconds = 10;
    boolean direct = false;
    for (String a : args) {
      if (a.equals("--direct")) {
        direct = true;
      } else {
        seconds = Integer.parseInt(a);
      }
    }
    Path sample = Path.of("samples/static-website").toAbsolutePath();
    Path jar = sample.resolve("target/static_website.jar");
    Path htdocs = sample.resolve("htdocs");
    String missing = missingTools(jar);
    if (missing != null) {
      System.err.println("http-figures: " + missing);
      System.exit(2);
    }
    System.out.println(machine());
    Path tmp = Files.createTempDirectory("m4j-http-figures");
    List<Server> servers = new ArrayList<>();
    try {
      servers.add(unikernel(List.of("java", "-jar", jar.toString()), null, "127.0.0.1", freePort()));
      servers.add(nginx(tmp.resolve("nginx"), htdocs, null, "127.0.0.1", freePort()));
      servers.add(jdkServer(htdocs, null, "127.0.0.1", freePort()));
      report("loopback, the socket stack", servers, seconds, null);
    } finally {
      servers.forEach(Server::close);
    }
    if (direct) {
      DirectSetup net = DirectSetup.create(tmp);
      servers.clear();
      try {
        servers.add(net.unikernel(jar, "mirage4j"));
        servers.add(nginx(tmp.resolve("nginx-ns"), htdocs, DirectSetup.NS_SERVERS, DirectSetup.SERVERS_IP, 8081));
        servers.add(jdkServer(htdocs, DirectSetup.NS_SERVERS, DirectSetup.SERVERS_IP, 8082));
        report("mirage4j's direct stack over TAP in a namespace; nginx and the JDK server on the kernel's stack, "
            + "reached over a veth pair", servers, seconds, DirectSetup.NS_CLIENT);
      } finally {
        servers.forEach(Server::close);
        net.close();
      }
    }
  }

  static String missingTools(Path jar) {
    if (!Files.isRegularFile(jar)) {
      return "build the sample first: ./mvnw install -DskipTests (or -pl samples/static-website,bench -am)";
    }
    if (!onPath("wrk")) {
      return "wrk is not installed: apt-get install wrk (bench/http-figures.sh does it as root)";
    }
    if (nginxBinary() == null) {
      return "nginx is not installed: apt-get install nginx-light (bench/http-figures.sh does it as root)";
    }
    return null;
  }

  static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  static String nginxBinary() {
    for (String p : List.of("/usr/sbin/nginx", "/usr/bin/nginx")) {
      if (Files.isExecutable(Path.of(p))) {
        return p;
      }
    }
    return null;
  }

  static String machine() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
        .filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip())
        .orElse("?");
    String load = Files.readString(Path.of("/proc/loadavg")).strip();
    String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    String nginx = run(10, nginxBinary(), "-v").trim().replace("nginx version: ", "");
    String wrk = run(10, "wrk", "--version").lines().findFirst().orElse("?").trim();
    return String.format(Locale.ROOT,
        "machine: %d cores (%s), Linux %s, load average %s%njava %s, %s, %s%n",
        Runtime.getRuntime().availableProcessors(), cpu, kernel, load, System.getProperty("java.version"), nginx,
        wrk.split(" \\[")[0]);
  }

  // ---------------------------------------------------------------- the servers

  static Server unikernel(List<String> command, String ns, String host, int port) throws Exception {
    return unikernel("mirage4j", command, ns, host, port);
  }

  static Server unikernel(String name, List<String> command, String ns, String host, int port) throws Exception {
    List<String> cmd = new ArrayList<>(inNamespace(ns));
    cmd.addAll(command);
    cmd.add("--port=" + port);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return started(name, p, ns, host, port);
  }

  static Server nginx(Path dir, Path htdocs, String ns, String host, int port) throws Exception {
    Files.createDirectories(dir);
    String conf = String.join("\n",
        "worker_processes 2;",
        "pid " + dir.resolve("nginx.pid") + ";",
        "error_log " + dir.resolve("error.log") + ";",
        "daemon off;",
        "events { worker_connections 4096; }",
        "http {",
        "  access_log off;",
        "  client_body_temp_path " + dir.resolve("body") + ";",
        "  proxy_temp_path " + dir.resolve("proxy") + ";",
        "  fastcgi_temp_path " + dir.resolve("fastcgi") + ";",
        "  uwsgi_temp_path " + dir.resolve("uwsgi") + ";",
        "  scgi_temp_path " + dir.resolve("scgi") + ";",
        "  types { text/html html; text/css css; }",
        "  keepalive_requests 1000;",
        "  server { listen " + host + ":" + port + "; root " + htdocs + "; }",
        "}", "");
    Path file = dir.resolve("nginx.conf");
    Files.writeString(file, conf);
    List<String> cmd = new ArrayList<>(inNamespace(ns));
    cmd.addAll(List.of(nginxBinary(), "-c", file.toString(), "-p", dir.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
    return started("nginx", p, ns, host, port);
  }

  static Server jdkServer(Path htdocs, String ns, String host, int port) throws Exception {
    List<String> cmd = new ArrayList<>(inNamespace(ns));
    cmd.addAll(List.of(javaBinary(), "-Dsun.net.httpserver.nodelay=true", "-cp", System.getProperty("java.class.path"),
        PlainStaticServer.class.getName(), htdocs.toString(), Integer.toString(port), host));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return started("com.sun.net.httpserver", p, ns, host, port);
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static List<String> inNamespace(String ns) {
    return ns == null ? List.of() : List.of("ip", "netns", "exec", ns);
  }

  /** Waits until the server answers a request, or fails with what it printed. */
  static Server started(String name, Process p, String ns, String host, int port) throws Exception {
    String url = "http://" + host + ":" + port + "/index.html";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (!p.isAlive()) {
        throw new IOException(name + " ended at start-up (status " + p.exitValue() + ")");
      }
      String out = run(10, withNs(ns, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", url));
      if (out.trim().equals("200")) {
        break;
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException(name + " did not answer " + url + " within 60 s");
      }
      Thread.sleep(100);
    }
    return new Server() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String url() {
        return url;
      }

      @Override
      public void close() {
        p.destroy();
        try {
          if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  static String[] withNs(String ns, String... cmd) {
    List<String> all = new ArrayList<>(inNamespace(ns));
    all.addAll(List.of(cmd));
    return all.toArray(String[]::new);
  }

  // ---------------------------------------------------------------- the load

  /** Warms every server up, then runs each scenario server after server. */
  static Map<Scenario, Map<String, Figure>> measure(List<Server> servers, List<Scenario> scenarios, int seconds,
      String ns) throws Exception {
    for (Server s : servers) { // warm up: JIT, caches, connections
      wrk(ns, s.url(), new Scenario("warm-up", 2, 16, false), Math.max(3, seconds / 2));
      wrk(ns, s.url(), new Scenario("warm-up", 1, 1, true), Math.max(2, seconds / 4));
    }
    Map<Scenario, Map<String, Figure>> figures = new LinkedHashMap<>();
    for (Scenario sc : scenarios) {
      Map<String, Figure> row = new LinkedHashMap<>();
      for (Server s : servers) {
        row.put(s.name(), wrk(ns, s.url(), sc, seconds));
      }
      figures.put(sc, row);
    }
    return figures;
  }

  static void report(String title, List<Server> servers, int seconds, String ns) throws Exception {
    System.out.printf(Locale.ROOT, "%n%s: GET /index.html (388 bytes), wrk %d s per figure%n", title, seconds);
    Map<Scenario, Map<String, Figure>> figures = measure(servers, SCENARIOS, seconds, ns);
    System.out.printf(Locale.ROOT, "%-40s %20s %20s %20s   %s%n", "", "mirage4j", "nginx", "com.sun.net.httpserver",
        "mirage4j / nginx");
    System.out.printf(Locale.ROOT, "%-40s %20s %20s %20s   %s%n", "", "req/s    p99 ms", "req/s    p99 ms",
        "req/s    p99 ms", "req/s (aim)    p99 (aim)");
    for (Map.Entry<Scenario, Map<String, Figure>> e : figures.entrySet()) {
      Scenario sc = e.getKey();
      Figure m = e.getValue().get("mirage4j");
      Figure n = e.getValue().get("nginx");
      Figure j = e.getValue().get("com.sun.net.httpserver");
      double rate = m.requestsPerSecond() / n.requestsPerSecond();
      double p99 = m.p99Millis() / n.p99Millis();
      double aim = sc.connections() == 64 ? 1.2 : 0.8;
      System.out.printf(Locale.ROOT, "%-40s %20s %20s %20s   %6.3f x (%s %.1f) %6.2f x (%s 2)%n",
          sc.name(), cell(m), cell(n), cell(j), rate, rate >= aim ? "meets" : "below", aim, p99,
          p99 <= 2 ? "meets" : "over");
    }
    long errors = figures.values().stream().flatMap(r -> r.values().stream()).mapToLong(Figure::errors).sum();
    if (errors > 0) {
      System.out.println("errors (non-2xx or socket errors) seen by wrk: " + errors);
    }
    System.out.println("load average after: " + Files.readString(Path.of("/proc/loadavg")).strip());
  }

  static String cell(Figure f) {
    return String.format(Locale.ROOT, "%8.0f %8.2f", f.requestsPerSecond(), f.p99Millis());
  }

  static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  static final Pattern P99 = Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)");
  static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  static final Pattern SOCKET = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

  static Figure wrk(String ns, String url, Scenario sc, int seconds) throws Exception {
    List<String> cmd = new ArrayList<>(inNamespace(ns));
    cmd.addAll(List.of("wrk", "-t" + sc.threads(), "-c" + sc.connections(), "-d" + seconds + "s", "--latency"));
    if (sc.close()) {
      cmd.addAll(List.of("-H", "Connection: close"));
    }
    cmd.add(url);
    String out = run(seconds + 60, cmd.toArray(String[]::new));
    Matcher rate = RATE.matcher(out);
    Matcher p99 = P99.matcher(out);
    if (!rate.find() || !p99.find()) {
      throw new IOException("cannot read wrk's output:\n" + out);
    }
    double latency = Double.parseDouble(p99.group(1));
    latency = switch (p99.group(2)) {
      case "us" -> latency / 1000;
      case "s" -> latency * 1000;
      default -> latency;
    };
    long errors = 0;
    Matcher non2xx = NON_2XX.matcher(out);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
    }
    Matcher socket = SOCKET.matcher(out);
    if (socket.find()) {
      // a closed connection is how wrk counts Connection: close as a "read" error; count the rest
      errors += Long.parseLong(socket.group(1)) + Long.parseLong(socket.group(3)) + Long.parseLong(socket.group(4))
          + (sc.close() ? 0 : Long.parseLong(socket.group(2)));
    }
    return new Figure(Double.parseDouble(rate.group(1)), latency, errors);
  }

  // ---------------------------------------------------------------- processes

  static String run(int timeoutSeconds, String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", cmd));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return out.join();
  }

  static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  static void must(String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = read(p.getInputStream());
    try {
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + out.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Two namespaces: {@code NS_CLIENT} holds wrk, the TAP device of the unikernel's direct stack
   * (kernel end 10.83.0.1/24, the stack 10.83.0.2) and one end of a veth pair (10.84.0.1/24);
   * {@code NS_SERVERS} holds the other end (10.84.0.2), where nginx and the JDK server listen.
   */
  static final class DirectSetup implements AutoCloseable {
    static final String NS_CLIENT = "m4jbh-c-" + PID;
    static final String NS_SERVERS = "m4jbh-s-" + PID;
    static final String TAP = "m4jbh" + (PID % 10000);
    static final String VETH = "m4jbv" + (PID % 10000);
    static final String KERNEL_IP = "10.83.0.1";
    static final String STACK_IP = "10.83.0.2";
    static final String SERVERS_IP = "10.84.0.2";
    private final Path dir;

    private DirectSetup(Path dir) {
      this.dir = dir;
    }

    static DirectSetup create(Path tmp) throws IOException {
      if (!"0".equals(run(5, "id", "-u").trim())) {
        throw new IOException("--direct needs root (network namespaces and a TAP device)");
      }
      DirectSetup s = new DirectSetup(tmp);
      Runtime.getRuntime().addShutdownHook(new Thread(s::close));
      must("ip", "netns", "add", NS_CLIENT);
      must("ip", "netns", "add", NS_SERVERS);
      for (String ns : List.of(NS_CLIENT, NS_SERVERS)) {
        must("ip", "-n", ns, "link", "set", "lo", "up");
      }
      must("ip", "-n", NS_CLIENT, "tuntap", "add", "dev", TAP, "mode", "tap");
      must("ip", "-n", NS_CLIENT, "addr", "add", KERNEL_IP + "/24", "dev", TAP);
      must("ip", "-n", NS_CLIENT, "link", "set", TAP, "up");
      must("ip", "-n", NS_CLIENT, "link", "add", VETH + "a", "type", "veth", "peer", "name", VETH + "b",
          "netns", NS_SERVERS);
      must("ip", "-n", NS_CLIENT, "addr", "add", "10.84.0.1/24", "dev", VETH + "a");
      must("ip", "-n", NS_CLIENT, "link", "set", VETH + "a", "up");
      must("ip", "-n", NS_SERVERS, "addr", "add", SERVERS_IP + "/24", "dev", VETH + "b");
      must("ip", "-n", NS_SERVERS, "link", "set", VETH + "b", "up");
      return s;
    }

    /**
     * The static-website sample configured net=direct, compiled here, on the TAP device, reported as
     * {@code name}.
     */
    Server unikernel(Path jar, String name) throws Exception {
      Path out = dir.resolve("direct");
      String cli = Stream.of(new File("cli/target").listFiles((d, n) -> n.endsWith("-all.jar")))
          .map(File::toString).findFirst()
          .orElseThrow(() -> new IOException("build the CLI first: ./mvnw install -DskipTests -pl cli -am"));
      String configured = run(120, javaBinary(), "-jar", cli, "configure", "-t", "unix", "--net=direct",
          "-f", "samples/static-website/config.mirage", "-o", out.toString());
      Path sources = out.resolve("generated-sources/mirage");
      List<String> javac = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(),
          "-d", out.resolve("classes").toString(), "-cp", jar.toString()));
      try (Stream<Path> files = Files.walk(sources)) {
        files.filter(f -> f.toString().endsWith(".java")).sorted(Comparator.naturalOrder())
            .forEach(f -> javac.add(f.toString()));
      }
      String compiled = run(120, javac.toArray(String[]::new));
      if (!Files.isDirectory(out.resolve("classes"))) {
        throw new IOException("could not build the net=direct unikernel:\n" + configured + compiled);
      }
      String classpath = out.resolve("classes") + File.pathSeparator + out.resolve("generated-resources/mirage")
          + File.pathSeparator + jar;
      return HttpFigures.unikernel(name, List.of(javaBinary(), "-cp", classpath,
              "org.mirage4j.generated.StaticWebsiteUnikernel", "--interface=" + TAP, "--ipv4=" + STACK_IP + "/24"),
          NS_CLIENT, STACK_IP, 8080);
    }

    @Override
    public void close() {
      for (String ns : List.of(NS_CLIENT, NS_SERVERS)) {
        try {
          if (Files.exists(Path.of("/var/run/netns", ns))) {
            run(30, "ip", "netns", "del", ns);
          }
        } catch (IOException e) {
          System.err.println("could not remove namespace " + ns + ": " + e.getMessage());
        }
      }
    }
  }
}
