package org.mirage4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.mirage4j.host.HostTools;
import org.mirage4j.host.MissingHostToolException;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs every benchmark of the project and rewrites {@code docs/performance.md} with the figures,
 * each as a ratio against a baseline measured in the same run, min/median/max over repeated runs,
 * the machine, and PNG plots (XChart) in {@code docs/performance/}. Run by {@code bench/report}
 * from the repository root, after the build.
 *
 * <p>Usage: {@code Report [--quick] [--only=pipeline,cli,maven,http,tap,guest]}
 */
public final class Report {

  private Report() {}

  /** Min, median, max of repeated measurements. */
  record Stat(double min, double median, double max, int n) {
    static Stat of(List<Double> xs) {
      List<Double> s = new ArrayList<>(xs);
      s.sort(null);
      int n = s.size();
      double median = n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
      return new Stat(s.get(0), median, s.get(n - 1), n);
    }

    String fmt(String unitFormat) {
      return String.format(Locale.ROOT, unitFormat + " (" + unitFormat + " .. " + unitFormat + ")", median, min, max);
    }
  }

  private static boolean quick;
  private static final Path JAR = Path.of("bench/target/benchmarks.jar").toAbsolutePath();
  private static final Path DOCS = Path.of("docs");
  private static final Path PLOTS = DOCS.resolve("performance");
  private static final StringBuilder md = new StringBuilder();

  public static void main(String[] args) throws Exception {
    List<String> only = List.of("pipeline", "cli", "maven", "http", "tap", "guest");
    for (String a : args) {
      if (a.equals("--quick")) {
        quick = true;
      } else if (a.startsWith("--only=")) {
        only = List.of(a.substring("--only=".length()).split(","));
      } else {
        System.err.println("report: unknown argument " + a + " (use --quick, --only=pipeline,cli,maven,http,tap,guest)");
        System.exit(64);
      }
    }
    if (!Files.isRegularFile(JAR) || !Files.isDirectory(DOCS)) {
      System.err.println("report: run from the repository root after ./mvnw -q install -DskipTests");
      System.exit(2);
    }
    Files.createDirectories(PLOTS);
    Instant start = Instant.now();
    String loadBefore = loadAverage();
    md.append("# Performance\n\n")
        .append("<!-- Written by bench/report")
        .append(quick ? " --quick" : "")
        .append("; do not edit by hand: run it again (see bench/README.md). -->\n\n")
        .append("Every figure below was measured by `bench/report")
        .append(quick ? " --quick" : "")
        .append("` in one run, each against a baseline measured in the same run on the same machine, as the ")
        .append("median (min .. max) of repeated runs. Tests never time anything. What the figures mean, how ")
        .append("each benchmark works and what changed to get them: [performance-notes.md](performance-notes.md) ")
        .append("and [bench/README.md](../bench/README.md).\n\n");
    md.append("## The machine\n\n").append(machine()).append("\n\n");
    int mark = md.length();
    Map<String, Section> sections = new LinkedHashMap<>();
    sections.put("pipeline", Report::pipeline);
    sections.put("cli", Report::cli);
    sections.put("maven", Report::maven);
    sections.put("http", Report::http);
    sections.put("tap", Report::tap);
    sections.put("guest", Report::guest);
    Map<String, String> previous = previousSections();
    for (Map.Entry<String, Section> e : sections.entrySet()) {
      if (!only.contains(e.getKey())) {
        // kept from the previous report, with the run it came from
        if (previous.containsKey(e.getKey())) {
          md.append(previous.get(e.getKey()));
        }
        continue;
      }
      System.out.println("== " + e.getKey());
      md.append("<!-- section:").append(e.getKey()).append(" -->\n");
      try {
        e.getValue().run();
      } catch (Exception ex) {
        md.append("\n_Failed in this run: ").append(ex.getClass().getSimpleName()).append(": ")
            .append(String.valueOf(ex.getMessage()).lines().findFirst().orElse("")).append("_\n\n");
        ex.printStackTrace();
      }
      if (only.size() < sections.size()) {
        md.append(String.format(Locale.ROOT, "_(This section: run of %s, load average %s.)_%n%n",
            Instant.now().truncatedTo(ChronoUnit.SECONDS), loadAverage()));
      }
      md.append("<!-- /section -->\n");
    }
    String partial = only.size() < sections.size()
        ? " (only " + String.join(", ", only) + "; the other sections are kept from the previous report, "
            + "whose run they were measured in)"
        : "";
    md.insert(mark, String.format(Locale.ROOT, "Run of %s%s, %d min; load average before %s, after %s.%n%n",
        start.truncatedTo(ChronoUnit.SECONDS), partial,
        (Instant.now().getEpochSecond() - start.getEpochSecond() + 59) / 60, loadBefore, loadAverage()));
    Files.writeString(DOCS.resolve("performance.md"), md.toString());
    System.out.println("wrote docs/performance.md and " + PLOTS);
  }

  /** The sections of the current docs/performance.md, by name, markers included. */
  static Map<String, String> previousSections() throws IOException {
    Map<String, String> found = new LinkedHashMap<>();
    Path file = DOCS.resolve("performance.md");
    if (!Files.exists(file)) {
      return found;
    }
    Matcher m = Pattern.compile("(?s)<!-- section:(\\w+) -->\n.*?<!-- /section -->\n").matcher(Files.readString(file));
    while (m.find()) {
      found.put(m.group(1), m.group());
    }
    return found;
  }

  interface Section {
    void run() throws Exception;
  }

  // ---------------------------------------------------------------- the machine

  static String machine() throws IOException {
    String cpu = "?";
    for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
      if (line.startsWith("model name")) {
        cpu = line.substring(line.indexOf(':') + 1).strip();
        break;
      }
    }
    String mem = "?";
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal")) {
        mem = String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(line.replaceAll("\\D", "")) / 1048576.0);
      }
    }
    String os = "";
    Path release = Path.of("/etc/os-release");
    if (Files.exists(release)) {
      for (String line : Files.readAllLines(release)) {
        if (line.startsWith("PRETTY_NAME=")) {
          os = line.substring(12).replace("\"", "") + ", ";
        }
      }
    }
    return String.format(Locale.ROOT, "%d CPUs (%s), %s of memory, %sLinux %s, %s %s.",
        Runtime.getRuntime().availableProcessors(), cpu, mem, os, System.getProperty("os.version"),
        System.getProperty("java.vm.name"), System.getProperty("java.version"));
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  // ---------------------------------------------------------------- pipeline

  static void pipeline() throws Exception {
    String[] sizes = quick ? new String[] {"100", "1000", "10000"} : new String[] {"100", "300", "1000", "3000", "10000"};
    Options options = new OptionsBuilder()
        .include(PipelineBenchmark.class.getName() + ".pipeline")
        .param("devices", sizes)
        .warmupIterations(quick ? 2 : 5).warmupTime(TimeValue.seconds(quick ? 1 : 2))
        .measurementIterations(quick ? 3 : 10).measurementTime(TimeValue.seconds(quick ? 1 : 2))
        .forks(1)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    Map<Integer, Stat> byDevices = new LinkedHashMap<>();
    for (RunResult r : results) {
      int devices = Integer.parseInt(r.getParams().getParam("devices"));
      Statistics st = r.getPrimaryResult().getStatistics();
      byDevices.put(devices, new Stat(st.getMin(), st.getPercentile(50), st.getMax(), (int) st.getN()));
    }
    Stat heap = peakHeap(10_000);
    md.append("## Pipeline: parse, link, check, lower, generate (issue 16)\n\n")
        .append("In-process and warm (JMH, `PipelineBenchmark`: a binary tree of devices each with a runtime key), ")
        .append("ms per run, median (min .. max) of the measurement iterations. The baseline of each size is the ")
        .append("1,000-device figure of the same run, and the aims of issue 16.\n\n")
        .append("| devices | ms per run | ratio to 1,000 devices | per device (µs) | aim |\n|---:|---:|---:|---:|---|\n");
    Stat thousand = byDevices.get(1000);
    for (Map.Entry<Integer, Stat> e : byDevices.entrySet()) {
      Stat s = e.getValue();
      String aim = switch (e.getKey()) {
        case 100 -> aim(s.median() <= 15, "at most 15 ms");
        case 1000 -> aim(s.median() <= 100, "at most 100 ms");
        case 10000 -> aim(s.median() <= 10 * thousand.median(), "at most 10x the 1,000 figure");
        default -> "";
      };
      md.append(String.format(Locale.ROOT, "| %,d | %s | %.2f | %.1f | %s |%n", e.getKey(), s.fmt("%.1f"),
          s.median() / thousand.median(), s.median() * 1000 / e.getKey(), aim));
    }
    if (heap != null) {
      md.append(String.format(Locale.ROOT, "%nPeak heap of the 10,000-device pipeline (a fresh JVM with `-Xmx512m`, "
          + "%s, the heap pools' peaks summed): %s MB; the aim is below 512 MB (%s).%n",
          quick ? "one pipeline run" : "three JVMs of three pipeline runs", heap.fmt("%.0f"),
          heap.max() < 512 ? "met" : "not met"));
    } else {
      md.append("\nPeak heap of the 10,000-device pipeline: the run in `-Xmx512m` failed (out of memory?).\n");
    }
    XYChart chart = chart("Pipeline time against devices (warm, JMH)", "devices", "ms per run (median)", true);
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    List<Double> linear = new ArrayList<>();
    byDevices.forEach((d, s) -> {
      x.add((double) d);
      y.add(s.median());
      linear.add(thousand.median() * d / 1000.0);
    });
    chart.addSeries("pipeline", x, y);
    XYSeries lin = chart.addSeries("linear from 1,000", x, linear);
    lin.setMarker(SeriesMarkers.NONE);
    save(chart, "pipeline-vs-devices");
    md.append("\n![pipeline time against devices](performance/pipeline-vs-devices.png)\n\n");
  }

  static String aim(boolean met, String what) {
    return (met ? "met: " : "not met: ") + what;
  }

  static Stat peakHeap(int devices) throws Exception {
    List<Double> mb = new ArrayList<>();
    for (int i = 0; i < (quick ? 1 : 3); i++) {
      String out = run(900, java(), "-Xmx512m", "-cp", JAR.toString(), PipelineHeap.class.getName(),
          String.valueOf(devices), quick ? "1" : "3");
      Matcher m = Pattern.compile("peak-heap-mb ([0-9.]+)").matcher(out);
      if (!m.find()) {
        System.out.println(out);
        return null;
      }
      mb.add(Double.parseDouble(m.group(1)));
    }
    return Stat.of(mb);
  }

  // ---------------------------------------------------------------- cold command line

  static void cli() throws Exception {
    int runs = quick ? 3 : 7;
    Path work = Files.createTempDirectory("m4j-report-cli");
    Map<String, List<String>> commands = new LinkedHashMap<>();
    commands.put("samples/slides", List.of("bin/mirage", "configure", "-t", "unix", "-f", "samples/slides/config.mirage",
        "-o", work.resolve("slides").toString()));
    for (int n : quick ? new int[] {100, 1000} : new int[] {100, 1000, 10000}) {
      Path dir = Files.createDirectories(work.resolve("synthetic-" + n));
      Files.writeString(dir.resolve("config.mirage"), SyntheticConfig.of(n));
      commands.put(String.format(Locale.ROOT, "synthetic, %,d devices", n), List.of("bin/mirage", "configure", "-t",
          "unix", "-f", dir.resolve("config.mirage").toString(), "-o", dir.resolve("out").toString()));
    }
    List<String> baseline = List.of(java(), "-cp", JAR.toString(), Noop.class.getName());
    Map<String, List<Double>> times = new LinkedHashMap<>();
    times.put("baseline", new ArrayList<>());
    commands.keySet().forEach(k -> times.put(k, new ArrayList<>()));
    for (int r = 0; r < runs; r++) { // alternated, so that every command meets the same machine
      times.get("baseline").add(wallMillis(baseline));
      for (Map.Entry<String, List<String>> e : commands.entrySet()) {
        times.get(e.getKey()).add(wallMillis(e.getValue()));
      }
    }
    Stat base = Stat.of(times.get("baseline"));
    md.append("## `mirage configure` in a fresh JVM\n\n")
        .append("`bin/mirage configure -t unix`, JVM start-up included, wall time in ms over ").append(runs)
        .append(" alternated runs. Baseline: a fresh JVM that does nothing (`java -cp benchmarks.jar Noop`), ")
        .append(base.fmt("%.0f")).append(" ms.\n\n")
        .append("| configuration | ms | ratio to an empty JVM |\n|---|---:|---:|\n");
    for (String k : commands.keySet()) {
      Stat s = Stat.of(times.get(k));
      md.append(String.format(Locale.ROOT, "| %s | %s | %.2f |%n", k, s.fmt("%.0f"), s.median() / base.median()));
    }
    md.append('\n');
    coldCheck(runs);
  }

  /** bench/cli-cold: the CPU of a cold {@code mirage check} against a cold {@code mirage --version}. */
  static void coldCheck(int runs) throws Exception {
    // the script prints its ratio= line last, only when every run succeeded (set -e)
    String out = run(600, "bench/cli-cold", Integer.toString(runs));
    String ratio = out.lines().filter(l -> l.startsWith("ratio=")).map(l -> l.substring(6)).findFirst()
        .orElseThrow(() -> new IOException("bench/cli-cold failed: " + out));
    md.append("### A cold `mirage check` against a cold `mirage --version` (issue 12)\n\n")
        .append("`bench/cli-cold ").append(runs).append("`: CPU seconds (user + sys, every thread of the JVM) of ")
        .append("`bin/mirage check samples/slides/config.mirage` and of `bin/mirage --version`, each a fresh JVM ")
        .append("with the class data sharing archive `bin/mirage` makes on a jar's first run, alternated.\n\n")
        .append("| command | min | median | max |\n|---|---:|---:|---:|\n");
    java.util.regex.Pattern row = java.util.regex.Pattern.compile(
        "\\s*(mirage .*?)\\s+min\\s+(\\S+)\\s+median\\s+(\\S+)\\s+max\\s+(\\S+)\\s*");
    out.lines().map(row::matcher).filter(java.util.regex.Matcher::matches).forEach(m -> md.append("| `bin/")
        .append(m.group(1)).append("` | ").append(m.group(2)).append(" | ").append(m.group(3)).append(" | ")
        .append(m.group(4)).append(" |\n"));
    md.append('\n').append(String.format(Locale.ROOT, "Ratio of the medians: %s (%s).%n%n", ratio,
        aim(Double.parseDouble(ratio) <= 2, "at most 2")));
  }

  static double wallMillis(List<String> command) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("timed out: " + String.join(" ", command));
    }
    if (p.exitValue() != 0) {
      throw new IOException("failed (exit " + p.exitValue() + "): " + String.join(" ", command));
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  // ---------------------------------------------------------------- Maven no-op

  static void maven() throws Exception {
    int runs = quick ? 3 : 7;
    Path project = Path.of("samples/hello");
    Path config = project.resolve("config.mirage");
    String original = Files.readString(config);
    List<String> mvn = new ArrayList<>(List.of(Path.of("mvnw").toAbsolutePath().toString(), "-o", "-q", "-f",
        project.resolve("pom.xml").toString()));
    List<String> validate = concat(mvn, "validate");
    List<String> generate = concat(mvn, "mirage:generate");
    wallMillis(generate); // generated once, so that what follows is the no-op
    List<Double> bare = new ArrayList<>();
    List<Double> noop = new ArrayList<>();
    List<Double> changed = new ArrayList<>();
    try {
      for (int r = 0; r < runs; r++) {
        bare.add(wallMillis(validate));
        noop.add(wallMillis(generate));
        Files.writeString(config, original + "\n// changed by bench/report, run " + r + "\n");
        changed.add(wallMillis(generate));
        Files.writeString(config, original);
        wallMillis(generate);
      }
    } finally {
      Files.writeString(config, original);
    }
    Stat b = Stat.of(bare);
    Stat n = Stat.of(noop);
    Stat c = Stat.of(changed);
    md.append("## Maven: `mirage:generate` against a bare `validate` (issue 16)\n\n")
        .append("`./mvnw -o -q -f samples/hello/pom.xml ...`, wall time in ms over ").append(runs)
        .append(" alternated runs; the baseline is `validate` on the same project (Maven's own start-up and ")
        .append("project model), so the ratio is what the plugin adds, its class loading included.\n\n")
        .append("| goal | ms | ratio to `validate` | aim |\n|---|---:|---:|---|\n")
        .append(String.format(Locale.ROOT, "| `validate` (baseline) | %s | 1.00 | |%n", b.fmt("%.0f")))
        .append(String.format(Locale.ROOT, "| `mirage:generate`, nothing changed | %s | %.2f | %s |%n", n.fmt("%.0f"),
            n.median() / b.median(), aim(n.median() <= 1.1 * b.median(), "at most 1.1x")))
        .append(String.format(Locale.ROOT, "| `mirage:generate` after a one-line change to config.mirage | %s | %.2f | %s |%n%n",
            c.fmt("%.0f"), c.median() / b.median(), aim(c.median() <= 1.5 * b.median(), "at most 1.5x")));
  }

  static List<String> concat(List<String> a, String... b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(List.of(b));
    return all;
  }

  // ---------------------------------------------------------------- HTTP

  static void http() throws Exception {
    Path sample = Path.of("samples/static-website").toAbsolutePath();
    Path jar = sample.resolve("target/static_website.jar");
    Path htdocs = sample.resolve("htdocs");
    md.append("## HTTP: the static-website unikernel against nginx and the JDK's server (issue 13)\n\n");
    String why = null;
    try {
      HostTools.require("wrk", "wrk", m -> System.out.println("[host-tools] " + m));
      HostTools.require("curl", "curl", m -> System.out.println("[host-tools] " + m));
      if (HttpFigures.nginxBinary() == null) {
        HostTools.require("nginx", "nginx-light", m -> System.out.println("[host-tools] " + m));
      }
    } catch (MissingHostToolException e) {
      why = e.getMessage();
    }
    if (why == null && !Files.isRegularFile(jar)) {
      why = "samples/static-website/target/static_website.jar is not built (./mvnw -q install -DskipTests)";
    }
    if (why != null) {
      md.append("_Skipped: ").append(why).append("_\n\n");
      return;
    }
    int seconds = quick ? 3 : 10;
    int runs = quick ? 1 : 3;
    int[] connections = quick ? new int[] {1, 16, 64, 256} : new int[] {1, 4, 16, 64, 256};
    List<HttpFigures.Scenario> scenarios = new ArrayList<>();
    for (int c : connections) {
      scenarios.add(new HttpFigures.Scenario("keep-alive, " + c + (c == 1 ? " connection" : " connections"),
          Math.min(2, c), c, false));
    }
    scenarios.add(new HttpFigures.Scenario("new connection per request, 1 client", 1, 1, true));
    scenarios.add(new HttpFigures.Scenario("new connection per request, 16 clients", 2, 16, true));
    List<String> names = List.of("mirage4j", "mirage4j, thread per connection", "nginx", "com.sun.net.httpserver");
    Path tmp = Files.createTempDirectory("m4j-report-http");
    Map<HttpFigures.Scenario, Map<String, List<HttpFigures.Figure>>> all = measureRuns(runs, scenarios, seconds,
        null, (r, servers) -> {
          servers.add(HttpFigures.unikernel(names.get(0), List.of(java(), "-jar", jar.toString()), null,
              "127.0.0.1", HttpFigures.freePort()));
          servers.add(HttpFigures.unikernel(names.get(1), List.of(java(), "-Dmirage4j.http.engine=threads", "-jar",
              jar.toString()), null, "127.0.0.1", HttpFigures.freePort()));
          servers.add(HttpFigures.nginx(tmp.resolve("nginx-" + r), htdocs, null, "127.0.0.1", HttpFigures.freePort()));
          servers.add(HttpFigures.jdkServer(htdocs, null, "127.0.0.1", HttpFigures.freePort()));
        });
    md.append("`GET /index.html` (388 bytes) on loopback, loaded by wrk for ").append(seconds)
        .append(" s per figure, ").append(runs).append(runs == 1 ? " run" : " runs")
        .append(" (median (min .. max) over runs); every scenario runs server after server so that all meet the ")
        .append("same machine. The servers: the static-website unikernel on the socket stack with its event ")
        .append("loops (the default), the same with a thread per connection (`-Dmirage4j.http.engine=threads`, ")
        .append("the engine before the event loops, still the direct stack's), nginx (2 workers, `access_log off`) ")
        .append("and `com.sun.net.httpserver` (64 threads). The baseline is nginx. Aims of issue 13: at least 0.8x ")
        .append("nginx's req/s with one connection and with a new connection per request, 1.2x at 64 connections, ")
        .append("p99 within 2x. The errors column counts what wrk saw go wrong over the runs: non-2xx responses ")
        .append("and socket errors (connect, write, timeout; read errors too, except with `Connection: close`, ")
        .append("where wrk counts every closed connection as one).\n\n");
    httpTable(all, names);
    XYChart rates = chart("HTTP keep-alive: requests per second against connections", "connections", "req/s (median)", true);
    XYChart p99s = chart("HTTP keep-alive: p99 latency against connections", "connections", "p99 ms (median)", true);
    for (String name : names) {
      List<Double> x = new ArrayList<>();
      List<Double> yr = new ArrayList<>();
      List<Double> yp = new ArrayList<>();
      all.forEach((sc, row) -> {
        if (!sc.close()) {
          x.add((double) sc.connections());
          yr.add(rate(row.get(name)).median());
          yp.add(p99(row.get(name)).median());
        }
      });
      rates.addSeries(name, x, yr);
      p99s.addSeries(name, x, yp);
    }
    save(rates, "http-rate-vs-connections");
    save(p99s, "http-p99-vs-connections");
    md.append("\n![HTTP req/s against connections](performance/http-rate-vs-connections.png)\n")
        .append("![HTTP p99 against connections](performance/http-p99-vs-connections.png)\n\n");

    md.append("### The same over the direct stack\n\n");
    if (!HostTools.isRoot()) {
      md.append("_Skipped: needs root (two network namespaces, a TAP device and a veth pair)._\n\n");
      return;
    }
    List<String> direct = List.of("mirage4j, direct stack", "nginx", "com.sun.net.httpserver");
    Map<HttpFigures.Scenario, Map<String, List<HttpFigures.Figure>>> overTap;
    try (HttpFigures.DirectSetup net = HttpFigures.DirectSetup.create(tmp)) {
      overTap = measureRuns(runs, scenarios, seconds, HttpFigures.DirectSetup.NS_CLIENT, (r, servers) -> {
        servers.add(net.unikernel(jar, direct.get(0)));
        servers.add(HttpFigures.nginx(tmp.resolve("nginx-ns-" + r), htdocs, HttpFigures.DirectSetup.NS_SERVERS,
            HttpFigures.DirectSetup.SERVERS_IP, 8081));
        servers.add(HttpFigures.jdkServer(htdocs, HttpFigures.DirectSetup.NS_SERVERS,
            HttpFigures.DirectSetup.SERVERS_IP, 8082));
      });
    }
    md.append("The static-website unikernel built `net=direct`: its own TCP/IP stack on a TAP device in a network ")
        .append("namespace, where wrk runs too; nginx and `com.sun.net.httpserver` on the kernel's stack in a second ")
        .append("namespace, reached over a veth pair, so that every server is one hop from wrk. The same scenarios, ")
        .append("runs and aims as above.\n\n");
    httpTable(overTap, direct);
    md.append('\n');
  }

  /** Starts the servers of run {@code r} into {@code servers} (those started are closed if one fails). */
  interface ServersOfRun {
    void start(int r, List<HttpFigures.Server> servers) throws Exception;
  }

  /**
   * Runs every scenario {@code runs} times, on fresh servers each run (closed after it), with wrk in
   * namespace {@code ns} ({@code null}: this one): each scenario's figures per server, over the runs.
   */
  static Map<HttpFigures.Scenario, Map<String, List<HttpFigures.Figure>>> measureRuns(int runs,
      List<HttpFigures.Scenario> scenarios, int seconds, String ns, ServersOfRun start) throws Exception {
    Map<HttpFigures.Scenario, Map<String, List<HttpFigures.Figure>>> all = new LinkedHashMap<>();
    for (int r = 0; r < runs; r++) {
      List<HttpFigures.Server> servers = new ArrayList<>();
      try {
        start.start(r, servers);
        HttpFigures.measure(servers, scenarios, seconds, ns).forEach((sc, row) -> row.forEach((name, f) ->
            all.computeIfAbsent(sc, k -> new LinkedHashMap<>()).computeIfAbsent(name, k -> new ArrayList<>()).add(f)));
      } finally {
        servers.forEach(HttpFigures.Server::close);
      }
    }
    return all;
  }

  /** One row per scenario and server: the medians over runs and the ratios to nginx. */
  static void httpTable(Map<HttpFigures.Scenario, Map<String, List<HttpFigures.Figure>>> all, List<String> names) {
    md.append("| scenario | server | req/s | p99 ms | req/s / nginx | p99 / nginx | errors |\n")
        .append("|---|---|---:|---:|---:|---:|---:|\n");
    long errors = 0;
    for (Map.Entry<HttpFigures.Scenario, Map<String, List<HttpFigures.Figure>>> e : all.entrySet()) {
      Map<String, List<HttpFigures.Figure>> row = e.getValue();
      Stat nginxRate = rate(row.get("nginx"));
      Stat nginxP99 = p99(row.get("nginx"));
      for (String name : names) {
        List<HttpFigures.Figure> fs = row.get(name);
        Stat rate = rate(fs);
        Stat p99 = p99(fs);
        long rowErrors = fs.stream().mapToLong(HttpFigures.Figure::errors).sum();
        errors += rowErrors;
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f | %.2f | %,d |%n", e.getKey().name(), name,
            rate.fmt("%,.0f"), p99.fmt("%.2f"), rate.median() / nginxRate.median(), p99.median() / nginxP99.median(),
            rowErrors));
      }
    }
    md.append(String.format(Locale.ROOT, "%nErrors seen by wrk in all: %,d%n", errors));
  }

  static Stat rate(List<HttpFigures.Figure> fs) {
    return Stat.of(fs.stream().map(HttpFigures.Figure::requestsPerSecond).toList());
  }

  static Stat p99(List<HttpFigures.Figure> fs) {
    return Stat.of(fs.stream().map(HttpFigures.Figure::p99Millis).toList());
  }

  // ---------------------------------------------------------------- direct stack over TAP

  /**
   * A line of TapThroughputFigures' throughput table: a path and its MiB/s, or (group 3 empty) a
   * transfer that took longer than it allows, at high loss.
   */
  static final Pattern TAP_LINE = Pattern.compile("^(direct stack -> kernel|kernel -> direct stack|kernel -> kernel), "
      + "over (TAP|veth).*?\\s(?:([0-9.]+)|did not finish in [0-9]+ s)\\s*$", Pattern.MULTILINE);

  static void tap() throws Exception {
    md.append("## The direct stack against the kernel's, over TAP (issue 6)\n\n");
    if (!HostTools.isRoot()) {
      md.append("_Skipped: needs root (network namespaces, TAP and veth devices, raw ICMP)._\n\n");
      return;
    }
    HostTools.require("ip", "iproute2", m -> System.out.println("[host-tools] " + m));
    int mib = quick ? 50 : 200;
    int runs = quick ? 1 : 3;
    double[] losses = quick ? new double[] {0, 1} : new double[] {0, 0.5, 1, 2, 5};
    Map<Double, Map<String, List<Double>>> byLoss = new LinkedHashMap<>();
    for (double loss : losses) {
      for (int r = 0; r < runs; r++) {
        String out = run(900, java(), "-Dmirage4j.bench.loss=" + loss, "-cp", JAR.toString(),
            TapThroughputFigures.class.getName(), String.valueOf(mib), quick ? "50" : "200");
        Matcher m = TAP_LINE.matcher(out);
        int found = 0;
        while (m.find()) {
          found++;
          // NaN: the run's transfer on this path did not finish
          byLoss.computeIfAbsent(loss, k -> new LinkedHashMap<>())
              .computeIfAbsent(m.group(1) + ", over " + m.group(2), k -> new ArrayList<>())
              .add(m.group(3) == null ? Double.NaN : Double.parseDouble(m.group(3)));
        }
        if (found == 0) {
          throw new IOException("cannot read TapThroughputFigures' output:\n" + out);
        }
      }
    }
    md.append("Bulk TCP transfer of ").append(mib).append(" MiB (`TapThroughputFigures`), MiB/s, median (min .. max) of ")
        .append(runs).append(runs == 1 ? " run" : " runs").append(" per loss rate. Baseline: the kernel's TCP on both ")
        .append("ends over the same TAP path (two TAP devices joined by a copy loop in the JVM). Loss: each frame ")
        .append("crossing the JVM (into the direct stack, or through the copy loop) is dropped with that ")
        .append("probability, both ways.\n\n")
        .append("| loss % | path | MiB/s | ratio to kernel over TAP |\n|---:|---|---:|---:|\n");
    XYChart chart = chart("TCP throughput against frame loss", "loss %", "MiB/s (median)", false);
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    for (Map.Entry<Double, Map<String, List<Double>>> e : byLoss.entrySet()) {
      List<Double> kernelRuns = finished(e.getValue().getOrDefault("kernel -> kernel, over TAP", List.of()));
      Stat kernel = Stat.of(kernelRuns.isEmpty() ? List.of(Double.NaN) : kernelRuns);
      for (Map.Entry<String, List<Double>> p : e.getValue().entrySet()) {
        List<Double> rates = finished(p.getValue());
        int late = p.getValue().size() - rates.size();
        String lateText = late == 0 ? "" : String.format(Locale.ROOT, "did not finish in %d s in %d of %d runs",
            TapThroughputFigures.TRANSFER_SECONDS, late, runs);
        if (rates.isEmpty()) {
          md.append(String.format(Locale.ROOT, "| %.1f | %s | %s | |%n", e.getKey(), p.getKey(), lateText));
          continue;
        }
        Stat s = Stat.of(rates);
        md.append(String.format(Locale.ROOT, "| %.1f | %s | %s%s | %.2f |%n", e.getKey(), p.getKey(), s.fmt("%.1f"),
            lateText.isEmpty() ? "" : "; " + lateText, s.median() / kernel.median()));
        series.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(new double[] {e.getKey(), s.median()});
      }
    }
    series.forEach((name, points) -> {
      if (!name.endsWith("veth")) {
        chart.addSeries(name, points.stream().map(p -> p[0]).toList(), points.stream().map(p -> p[1]).toList());
      }
    });
    save(chart, "tcp-throughput-vs-loss");
    md.append("\n![TCP throughput against loss](performance/tcp-throughput-vs-loss.png)\n\n");
  }

  /** The rates of the runs whose transfer finished. */
  private static List<Double> finished(List<Double> rates) {
    return rates.stream().filter(x -> !x.isNaN()).toList();
  }

  // ---------------------------------------------------------------- guests

  static void guest() throws Exception {
    md.append("## Guest images: size and boot time under QEMU\n\n");
    Path slides = Path.of("samples/slides/target/mirage/xen");
    Path hello = Path.of("samples/hello/target/mirage/xen");
    if (HostTools.find("qemu-system-x86_64").isEmpty()) {
      try {
        HostTools.require("qemu-system-x86_64", "qemu-system-x86", m -> System.out.println("[host-tools] " + m));
      } catch (MissingHostToolException e) {
        md.append("_Skipped: ").append(e.getMessage()).append("_\n\n");
        return;
      }
    }
    if (!Files.isDirectory(slides) || !Files.isDirectory(hello)) {
      if (quick) {
        md.append("_Skipped in --quick: the Xen images of samples/slides and samples/hello are not built; the full ")
            .append("report builds them (`bench/guest-figures.sh` does the same)._\n\n");
        return;
      }
      for (String s : List.of("slides", "hello")) {
        wallMillis(List.of(Path.of("mvnw").toAbsolutePath().toString(), "-o", "-q", "-f", "samples/" + s + "/pom.xml",
            "package", "-DskipTests", "-Dmirage.target=xen"));
      }
    }
    String out = run(1800, java(), "-cp", JAR.toString(), GuestFigures.class.getName(), quick ? "1" : "3", "samples",
        "xen:x86_64");
    md.append("`GuestFigures` (xen target, x86_64, booted by QEMU): image sizes, and seconds from QEMU's start to ")
        .append("the slides unikernel's first HTTP 200, against the baseline of the hello unikernel's start to ")
        .append("power-off on the same kernel in the same run.\n\n```text\n").append(out.strip()).append("\n```\n\n");
  }

  // ---------------------------------------------------------------- helpers

  static String java() {
    return HttpFigures.javaBinary();
  }

  static String run(int timeoutSeconds, String... cmd) throws IOException {
    return HttpFigures.run(timeoutSeconds, cmd);
  }

  static XYChart chart(String title, String x, String y, boolean logX) {
    XYChart chart = new XYChartBuilder().width(800).height(480).title(title).xAxisTitle(x).yAxisTitle(y).build();
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    return chart;
  }

  static void save(XYChart chart, String name) throws IOException {
    Path tmp = PLOTS.resolve(name + ".tmp.png");
    BitmapEncoder.saveBitmap(chart, PLOTS.resolve(name + ".tmp").toString(), BitmapEncoder.BitmapFormat.PNG);
    Files.move(tmp, PLOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
