package org.mirage4j.dsl.tests;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.Job;
import org.mirage4j.dsl.frontend.MirageFrontEnd;

/**
 * Driver and job classes checked against the user's class path: small fixture classes are compiled
 * into a temporary directory, which is passed with runtime-api's classes as the class path.
 */
class JavaClassesTest {

  @TempDir static Path classes;

  private static List<Path> classpath;

  @BeforeAll
  static void compileFixtures() throws IOException, URISyntaxException {
    Path src = classes.resolve("src/org/example/fixtures");
    Files.createDirectories(src);
    write(src, "Greeter", "public interface Greeter {}");
    write(src, "NotAGreeter", "public class NotAGreeter { public NotAGreeter() {} }");
    write(
        src,
        "NameOnly",
        "public class NameOnly implements Greeter {\n"
            + "  public NameOnly(String name) {}\n"
            + "  public static NameOnly create(String name, int extra) { return new NameOnly(name); }\n"
            + "}");
    write(
        src,
        "Ported",
        "public class Ported implements Greeter {\n"
            + "  private Ported() {}\n"
            + "  public static Ported open(String name, int port) { return new Ported(); }\n"
            + "}");
    write(
        src,
        "App",
        "public class App implements org.mirage4j.api.Job {\n"
            + "  public App(Greeter a, Greeter b) {}\n"
            + "  @Override public void start() {}\n"
            + "}");
    write(src, "NotAJob", "public class NotAJob { public NotAJob(Greeter g) {} }");
    write(src, "GuestNic", "public class GuestNic implements Greeter { public GuestNic(String name, String guest) {} }");
    Path runtimeApi = Path.of(Job.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", runtimeApi.toString()));
    try (var files = Files.list(src)) {
      files.map(Path::toString).forEach(args::add);
    }
    assertThat(javac.run(null, null, null, args.toArray(new String[0]))).isEqualTo(0);
    classpath = List.of(classes, runtimeApi);
  }

  private static void write(Path dir, String name, String body) throws IOException {
    Files.writeString(dir.resolve(name + ".java"), "package org.example.fixtures;\n" + body + "\n");
  }

  private static List<String> lower(String relative) {
    Path p = Fixtures.file(relative);
    try (MirageFrontEnd.Session s = MirageFrontEnd.open(p, classpath, p.getParent())) {
      MirageFrontEnd.Outcome o = s.lower("unix", null, Map.of());
      return Fixtures.strings(o.diagnostics());
    }
  }

  private static List<String> check(String relative) {
    Path p = Fixtures.file(relative);
    try (MirageFrontEnd.Session s = MirageFrontEnd.open(p, classpath, p.getParent())) {
      return Fixtures.strings(s.check());
    }
  }

  @Test
  void driverClassesThatDoNotImplementTheirTypeOrDoNotFit() {
    assertThat(check("bad/java_drivers.mirage"))
        .containsExactly(
            "java_drivers.mirage:4:34: error: class org.example.fixtures.NotAGreeter of driver 'wrong_iface' does not implement org.example.fixtures.Greeter (type 'greeter')",
            "java_drivers.mirage:5:57: error: class org.example.fixtures.NameOnly has no public constructor NameOnly(String, int) for driver 'wrong_ctor' (declared parameters: name, port); it has: NameOnly(String)",
            "java_drivers.mirage:6:48: error: class org.example.fixtures.NameOnly has no public static factory create(String) returning NameOnly for driver 'wrong_factory'; it has: create(String, int)")
        .inOrder();
    // lowering stops at the checker's errors and repeats them
    assertThat(lower("bad/java_drivers.mirage")).isEqualTo(check("bad/java_drivers.mirage"));
  }

  @Test
  void aDriverThatNeedsAVifOrDiskTakesAStringForEachAfterItsParameters() {
    assertThat(check("bad/java_needs.mirage"))
        .containsExactly(
            "java_needs.mirage:6:42: error: class org.example.fixtures.NameOnly has no public constructor NameOnly(String, String) for driver 'no_disk' (declared parameters: name, then a String for its disk); it has: NameOnly(String)");
  }

  @Test
  void aDriverClassMissingFromTheClasspathIsReportedWhereTheDriverIsUsed() {
    String missing =
        "java_missing.mirage:6:30: error: driver 'missing' needs class org.example.fixtures.Missing, which is not on the classpath; add the dependency org.example:fixtures:1.0";
    assertThat(lower("bad/java_missing.mirage")).containsExactly(missing);
    // mirage check -cp reports what lowering for any target reports
    assertThat(check("bad/java_missing.mirage")).containsExactly(missing);
  }

  @Test
  void withoutAClasspathJavaClassesAreNotChecked() {
    assertThat(Fixtures.check("bad/java_drivers.mirage")).isEmpty();
    assertThat(Fixtures.lowerDiagnostics("bad/java_missing.mirage", "unix", java.util.Map.of())).isEmpty();
  }

  @Test
  void jobClassesThatAreMissingAreNotJobsOrDoNotFit() {
    assertThat(lower("bad/java_jobs.mirage"))
        .containsExactly(
            "java_jobs.mirage:7:5: error: job class org.example.fixtures.Absent is not on the classpath; check its name, or compile it before generating",
            "java_jobs.mirage:8:5: error: job class org.example.fixtures.NotAJob does not implement org.mirage4j.api.Job",
            "java_jobs.mirage:9:5: error: job class org.example.fixtures.App has no public constructor App(Greeter) for the arguments given to it; it has: App(Greeter, Greeter)")
        .inOrder();
  }

  @Test
  void theCheckerReportsJobsThatDoNotFitAsLoweringDoes() {
    // mirage check -cp and mirage:generate: the same problems for the same input and class path
    assertThat(check("bad/java_jobs.mirage")).containsAtLeastElementsIn(lower("bad/java_jobs.mirage"));
  }

  @Test
  void fittingClassesLowerWithoutDiagnostics() {
    Path p = Fixtures.file("good/java_classes.mirage");
    try (MirageFrontEnd.Session s = MirageFrontEnd.open(p, classpath, p.getParent())) {
      assertThat(Fixtures.strings(s.check())).isEmpty();
      MirageFrontEnd.Outcome o = s.lower("unix", null, Map.of());
      assertThat(Fixtures.strings(o.diagnostics())).isEmpty();
      assertThat(o.model().devices().get(1).factoryMethod()).hasValue("open");
    }
  }
}
