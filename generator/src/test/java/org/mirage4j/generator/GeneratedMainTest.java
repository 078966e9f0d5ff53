package org.mirage4j.generator;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.model.UnikernelModel;

/**
 * Runs a generated {@code main} in a child JVM, directly and through the generated launcher, to see
 * what a user sees: exit statuses 64, 0 and 1 and their one-line messages.
 */
class GeneratedMainTest {

  @TempDir static Path tmp;
  static GeneratorRequest request;
  static String classpath;

  /** A TAP stub that fails to connect when the system property tap.fail is set. */
  static final String FAILING_TAP = """
      package org.mirage4j.drivers.tap;

      import java.io.IOException;
      import java.nio.ByteBuffer;
      import org.mirage4j.api.MacAddress;
      import org.mirage4j.api.Network;

      public final class TapNetwork implements Network {
        public TapNetwork(String name) {}

        @Override
        public void connect() throws IOException {
          if (Boolean.getBoolean("tap.fail")) {
            throw new IOException("/dev/net/tun: Permission denied");
          }
        }

        @Override public MacAddress mac() { throw new UnsupportedOperationException(); }
        @Override public int mtu() { return 1500; }
        @Override public void send(ByteBuffer frame) { throw new UnsupportedOperationException(); }
        @Override public int receive(ByteBuffer into) { return -1; }
      }
      """;

  /** The job: says it started, then blocks when the system property site.block is set. */
  static final String BLOCKING_SITE = """
      package org.example.web;

      import java.util.concurrent.CountDownLatch;
      import org.mirage4j.api.Console;
      import org.mirage4j.api.ExitStatus;
      import org.mirage4j.api.HttpServer;
      import org.mirage4j.api.Job;

      public final class Site implements Job {
        public Site(Console console, HttpServer http) {}

        @Override
        public void start() throws InterruptedException {
          System.out.println("site started");
          System.out.flush();
          if (Boolean.getBoolean("site.log")) {
            System.Logger log = System.getLogger("site");
            log.log(System.Logger.Level.DEBUG, "a debug line");
            log.log(System.Logger.Level.WARNING, "a warning line");
          }
          if (Integer.getInteger("site.exit") != null) {
            throw ExitStatus.of(Integer.getInteger("site.exit"));
          }
          if (Boolean.getBoolean("site.block")) {
            new CountDownLatch(1).await();
          }
        }
      }
      """;

  @BeforeAll
  static void generateAndCompile() throws Exception {
    UnikernelModel model = TestModels.network("unix");
    request = GeneratorRequest.of(model, Support.projectDir("network"), tmp.resolve("target"));
    GenerationResult result = MirageGenerator.generate(request);
    assertThat(result.diagnostics()).isEmpty();

    List<JavaFileObject> sources = new ArrayList<>();
    for (Path p : result.written()) {
      if (p.toString().endsWith(".java")) {
        String rel = request.javaOutput().relativize(p).toString();
        sources.add(JavaFileObjects.forSourceString(
            rel.replace(".java", "").replace(File.separatorChar, '.'), Files.readString(p)));
      }
    }
    for (JavaFileObject stub : new Stubs().add(model).sources()) {
      if (!stub.getName().contains("TapNetwork") && !stub.getName().contains("Site")) {
        sources.add(stub);
      }
    }
    sources.add(JavaFileObjects.forSourceString("org.mirage4j.drivers.tap.TapNetwork", FAILING_TAP));
    sources.add(JavaFileObjects.forSourceString("org.example.web.Site", BLOCKING_SITE));
    Path classes = tmp.resolve("classes");
    Compile.toDirectory(sources, classes);
    classpath = classes + File.pathSeparator + Compile.runtimeApi();
  }

  private static Support.Run java(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath));
    for (String a : args) {
      command.add(a);
    }
    return Support.run(command, Map.of());
  }

  private static final String MAIN = "org.mirage4j.generated.WebUnikernel";

  @Test
  void aBadPortIsOneLineAndStatus64() throws Exception {
    Support.Run run = java(MAIN, "--port=abc");
    assertThat(run.status()).isEqualTo(64);
    assertThat(run.err()).isEqualTo("web: option --port: expected a port (0-65535), got 'abc'\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void anUnknownOptionIsOneLineAndStatus64() throws Exception {
    Support.Run run = java(MAIN, "--prot", "80");
    assertThat(run.status()).isEqualTo(64);
    assertThat(run.err()).isEqualTo("web: unknown option --prot (did you mean --port?); see --help\n");
  }

  @Test
  void helpListsTheRuntimeKeys() throws Exception {
    Support.Run run = java(MAIN, "--help");
    assertThat(run.status()).isEqualTo(0);
    assertThat(run.out()).isEqualTo(
        "Usage: web [--name=value]...\n"
            + "Unikernel web (target unix), generated by mirage4j from config.mirage.\n"
            + "\n"
            + "Options:\n"
            + "  --ipv4=<ipv4-prefix>  address and network of the guest (ipv4-prefix, default 10.0.0.2/24)\n"
            + "  -p, --port=<port>     HTTP port (port, default 80)\n"
            + "  -l, --logs=<levels>   log thresholds, comma-separated: a level, or source:level"
            + " (levels quiet, error, warning, info, debug, trace; default info)\n"
            + "  --help                print this help and exit\n"
            + "  --version             print the version and exit\n");
    assertThat(java(MAIN, "--version").out()).isEqualTo("web dev\n");
  }

  @Test
  void aKeysAliasGivesItsOption() throws Exception {
    // key port ... alias p: -p 8081 is --port=8081
    Support.Run run = java("-Dstubs.log=true", MAIN, "-p", "8081");
    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isEqualTo(0);
    assertThat(java(MAIN, "-p", "http").err()).isEqualTo("web: option --port: expected a port (0-65535), got 'http'\n");
  }

  @Test
  void aNormalRunConnectsEverythingRunsTheJobAndExitsZero() throws Exception {
    Support.Run run = java("-Dstubs.log=true", MAIN, "--port", "8080", "--ipv4=192.168.7.2/24");
    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isEqualTo(0);
    List<String> lines = List.of(run.out().split("\n"));
    int started = lines.indexOf("site started");
    assertClosedInReverse(lines.subList(0, started), lines.subList(started + 1, lines.size()));
  }

  @Test
  void aJobsChosenStatusIsTheProgramsAfterEveryDeviceIsClosed() throws Exception {
    Support.Run run = java("-Dstubs.log=true", "-Dsite.exit=5", MAIN, "-l", "quiet");
    assertThat(run.err()).isEmpty();
    assertThat(run.status()).isEqualTo(5);
    List<String> lines = List.of(run.out().split("\n"));
    int started = lines.indexOf("site started");
    assertClosedInReverse(lines.subList(0, started), lines.subList(started + 1, lines.size()));
  }

  @Test
  void logsFollowTheLogsOption() throws Exception {
    String line = "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z: ";
    List<String> byDefault = logLines(java("-Dsite.log=true", MAIN));
    assertThat(byDefault).hasSize(1);
    assertThat(byDefault.get(0)).containsMatch(line + "\\[WARNING\\] \\[site\\] a warning line$");
    List<String> debug = logLines(java("-Dsite.log=true", MAIN, "-l", "error,site:debug"));
    assertThat(debug).hasSize(2);
    assertThat(debug.get(0)).containsMatch(line + "\\[DEBUG\\] \\[site\\] a debug line$");
    assertThat(logLines(java("-Dsite.log=true", MAIN, "--logs=site:error"))).isEmpty();
    // the lifecycle's own source shows each device as it connects
    assertThat(logLines(java(MAIN, "-l", "quiet,lifecycle:debug"))).isNotEmpty();
    Support.Run bad = java(MAIN, "-l", "site:loud");
    assertThat(bad.status()).isEqualTo(64);
    assertThat(bad.err()).isEqualTo("web: option --logs: unknown log level 'loud' in 'site:loud':"
        + " expected one of quiet, error, warning, info, debug, trace\n");
  }

  private static List<String> logLines(Support.Run run) {
    assertThat(run.status()).isEqualTo(0);
    return List.of(run.out().split("\n")).stream().filter(l -> l.contains(": [")).toList();
  }

  /**
   * Every logging device connected once before the job and closed once after it, in the reverse of
   * the connect order as far as dependencies go: a device connects after, and closes before, every
   * device it receives. (Independent devices connect concurrently, so their relative order as
   * printed is not fixed.)
   */
  private static void assertClosedInReverse(List<String> before, List<String> after) {
    List<String> connected = new ArrayList<>();
    for (String line : before) {
      assertThat(line).startsWith("connect ");
      connected.add(line.substring("connect ".length()));
    }
    List<String> closed = new ArrayList<>();
    for (String line : after) {
      assertThat(line).startsWith("close ");
      closed.add(line.substring("close ".length()));
    }
    // the 12 devices except TapNetwork, whose hand-written stub does not log
    List<String> logging = new ArrayList<>();
    Map<String, List<String>> receives = new java.util.HashMap<>();
    UnikernelModel model = request.model();
    for (var d : model.devices()) {
      String cls = d.driverClass().substring(d.driverClass().lastIndexOf('.') + 1);
      if (!cls.equals("TapNetwork")) {
        logging.add(cls);
      }
      List<String> deps = new ArrayList<>();
      for (String dep : d.dependencies()) {
        String dc = model.device(dep).orElseThrow().driverClass();
        deps.add(dc.substring(dc.lastIndexOf('.') + 1));
      }
      receives.put(cls, deps);
    }
    assertThat(connected).containsExactlyElementsIn(logging);
    assertThat(closed).containsExactlyElementsIn(logging);
    for (String device : logging) {
      for (String dep : receives.get(device)) {
        if (logging.contains(dep)) {
          assertThat(connected.indexOf(dep)).isLessThan(connected.indexOf(device));
          assertThat(closed.indexOf(device)).isLessThan(closed.indexOf(dep));
        }
      }
    }
  }

  @Test
  void sigtermClosesEveryDeviceOnceInReverse() throws Exception {
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
        "-Dstubs.log=true", "-Dsite.block=true", MAIN);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    List<String> before = new ArrayList<>();
    List<String> after = new ArrayList<>();
    try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(
        p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null && !line.equals("site started")) {
        before.add(line);
      }
      assertThat(line).isEqualTo("site started");
      p.toHandle().destroy(); // SIGTERM, without closing our end of the pipes
      while ((line = reader.readLine()) != null) {
        after.add(line);
      }
    }
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(143); // 128 + SIGTERM
    assertClosedInReverse(before, after);
  }

  @Test
  void aDeviceThatFailsToConnectIsNamedWithItsLine() throws Exception {
    Support.Run run = java("-Dtap.fail=true", MAIN);
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.err()).isEqualTo(
        "error: device 'net' (config.mirage:4) failed to connect: /dev/net/tun: Permission denied\n");
  }

  @Test
  void theLauncherPassesArgumentsAndTheStatusThrough() throws Exception {
    Path launcher = request.artifactsDir().resolve("web");
    Support.Run bad = Support.run(List.of(launcher.toString(), "--port", "abc"),
        Map.of("MIRAGE_CLASSPATH", classpath, "JAVA",
            Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    assertThat(bad.status()).isEqualTo(64);
    assertThat(bad.err()).isEqualTo("web: option --port: expected a port (0-65535), got 'abc'\n");

    Support.Run ok = Support.run(List.of(launcher.toString(), "--port=8080"),
        Map.of("MIRAGE_CLASSPATH", classpath, "JAVA_OPTS", "-Xshare:auto -Dunused=1"));
    assertThat(ok.err()).isEmpty();
    assertThat(ok.status()).isEqualTo(0);
  }
}
