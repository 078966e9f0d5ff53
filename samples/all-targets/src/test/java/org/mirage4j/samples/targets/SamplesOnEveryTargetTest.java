package org.mirage4j.samples.targets;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mirage4j.dsl.frontend.MirageFrontEnd;
import org.mirage4j.generator.GenerationResult;
import org.mirage4j.generator.GeneratorRequest;
import org.mirage4j.generator.MirageGenerator;

/**
 * Every sample builds for every target: its configuration checks and lowers with the real driver
 * classes on the class path (so a missing driver or a constructor that does not fit is an error) to
 * the checked-in model ({@code src/test/golden/<sample>/<target>-<arch>.model}, see {@link Golden};
 * re-record with {@code -Dmirage.golden.record=true}), the generated files are written, the {@code
 * .xl} is read by Xen's parser, and the wiring compiles with {@code -Xlint:all -Werror} together
 * with the sample's job classes. (Each sample's own end-to-end test also builds it for unix with
 * the Maven plugin and runs it.)
 */
class SamplesOnEveryTargetTest {

  static Stream<Arguments> samplesAndTargets() {
    List<Arguments> cases = new ArrayList<>();
    for (String sample :
        List.of("hello", "hello-key", "clock", "kv-ro", "block", "network", "static-website", "slides",
            "dhcp", "skeleton/app_info", "skeleton/disk-lottery", "skeleton/dns", "skeleton/ping6")) {
      cases.add(Arguments.of(sample, "unix", "x86_64"));
      cases.add(Arguments.of(sample, "xen", "x86_64"));
      cases.add(Arguments.of(sample, "arm", "aarch64"));
      cases.add(Arguments.of(sample, "arm", "armv7"));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} on {1} ({2})")
  @MethodSource("samplesAndTargets")
  void generatesAndCompiles(String sample, String target, String arch, @TempDir Path out) throws IOException {
    Path dir = Path.of(System.getProperty("mirage.samplesDir")).resolve(sample).toAbsolutePath().normalize();
    List<Path> classpath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classpath.add(Path.of(entry));
    }
    try (MirageFrontEnd.Session session = MirageFrontEnd.open(dir.resolve("config.mirage"), classpath, dir)) {
      MirageFrontEnd.Outcome outcome = session.lower(target, arch, Map.of());
      assertWithMessage("diagnostics of %s for %s", sample, target)
          .that(outcome.diagnostics().stream().filter(d -> d.isError()).map(Object::toString).toList())
          .isEmpty();
      GenerationResult result = MirageGenerator.generate(GeneratorRequest.of(outcome.model(), dir, out));
      assertThat(result.diagnostics()).isEmpty();
      String name = outcome.model().name();
      if (!target.equals("unix")) {
        assertThat(Files.exists(out.resolve("mirage/" + target + "/" + name + ".xl"))).isTrue();
        assertThat(Files.exists(out.resolve("mirage/" + target + "/" + name + ".xl.in"))).isTrue();
        xlCheck(out.resolve("mirage/" + target + "/" + name + ".xl"));
      }
      Golden.compare(outcome.model(), sample + "/" + target + "-" + arch);
      compile(out.resolve("generated-sources/mirage"), out.resolve("classes"));
    }
  }

  /** Xen's own parser, from the workplace's shared tools; skipped with a note when absent. */
  private static void xlCheck(Path xl) throws IOException {
    Path tool = Path.of(System.getProperty("mirage.samplesDir")).resolve("../../shared/tools/xl-check").normalize();
    if (!Files.isExecutable(tool)) {
      System.out.println("xl-check not found at " + tool + "; " + xl.getFileName() + " not checked with Xen's parser");
      return;
    }
    Process p = new ProcessBuilder(tool.toString(), xl.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    try {
      assertWithMessage("xl-check %s:\n%s", xl.getFileName(), output).that(p.waitFor()).isEqualTo(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static void compile(Path sources, Path classes) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(files).isNotEmpty();
    Files.createDirectories(classes);
    StringWriter messages = new StringWriter();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
      Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
      boolean ok =
          javac
              .getTask(
                  messages,
                  fm,
                  null,
                  List.of("-Xlint:all", "-Werror", "--release", "17", "-proc:none", "-d", classes.toString(),
                      "-cp", System.getProperty("java.class.path")),
                  null,
                  units)
              .call();
      assertWithMessage("javac:\n%s", messages).that(ok).isTrue();
    }
  }
}
