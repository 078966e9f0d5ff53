package org.mirage4j.dsl.tests;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.Job;
import org.mirage4j.dsl.frontend.MirageFrontEnd;

/**
 * Job and driver classes that are the project's own sources, not compiled yet (the Maven plugin
 * generates before javac runs): read with JavaParser from the source roots and checked as compiled
 * classes are, so that a constructor that does not fit is reported on {@code config.mirage}.
 */
class JavaSourcesTest {

  @TempDir static Path project;

  private static List<Path> classpath;
  private static Path sources;
  private static Path config;

  @BeforeAll
  static void writeProject() throws IOException, URISyntaxException {
    sources = project.resolve("src/main/java");
    Path pkg = sources.resolve("org/example/app");
    Files.createDirectories(pkg);
    write(pkg, "Site", "import org.mirage4j.api.Console;\nimport org.mirage4j.api.Job;\n"
        + "public class Site implements Job {\n  public Site(Console console) {}\n  @Override public void start() {}\n}");
    write(pkg, "TwoConsoles", "import org.mirage4j.api.*;\n"
        + "public final class TwoConsoles implements Job {\n  public TwoConsoles(Console a, Console b) {}\n"
        + "  TwoConsoles(Console a) {}\n  @Override public void start() {}\n}");
    write(pkg, "NotAJob", "public class NotAJob {\n  public NotAJob(org.mirage4j.api.Console c) {}\n}");
    write(pkg, "Rec", "import org.mirage4j.api.Console;\n"
        + "public record Rec(Console console) implements org.mirage4j.api.Job {\n  public void start() {}\n}");
    // a job through a base class of the project's: Job is found up the chain
    write(pkg, "Base", "public abstract class Base implements org.mirage4j.api.Job {}");
    write(pkg, "Derived", "import org.mirage4j.api.Console;\n"
        + "public class Derived extends Base {\n  public Derived(Console c) {}\n  public void start() {}\n}");
    write(pkg, "LocalConsole", "import org.mirage4j.api.Console;\n"
        + "public class LocalConsole implements Console {\n  public LocalConsole(String name) {}\n}");
    write(pkg, "NotAConsole", "public class NotAConsole {\n  public NotAConsole(int size) {}\n}");
    config = project.resolve("config.mirage");
    Files.writeString(config, String.join("\n",
        "unikernel app targets unix",
        "driver local_console(name: string) : console = org.example.app.LocalConsole on unix",
        "driver bad_console(name: string) : console = org.example.app.NotAConsole on unix",
        "device mine = local_console(\"mine\")",
        "device bad = bad_console(\"b\")",
        "job org.example.app.Site(mine)",
        "job org.example.app.TwoConsoles(mine) as two",
        "job org.example.app.NotAJob(mine) as not_a_job",
        "job org.example.app.Rec(bad) as rec",
        "job org.example.app.Derived(mine) as derived",
        "job org.example.app.Nowhere(mine) as nowhere",
        ""));
    classpath = List.of(Path.of(Job.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
  }

  private static void write(Path dir, String name, String body) throws IOException {
    Files.writeString(dir.resolve(name + ".java"), "package org.example.app;\n\n" + body + "\n");
  }

  private static List<String> lower(List<Path> roots) {
    try (MirageFrontEnd.Session s = MirageFrontEnd.open(config, classpath, roots, project)) {
      return Fixtures.strings(s.lower("unix", null, Map.of()).diagnostics());
    }
  }

  @Test
  void classesInTheSourcesAreCheckedAsCompiledOnesAre() {
    assertThat(lower(List.of(sources)))
        .containsExactly(
            "config.mirage:5:14: error: class org.example.app.NotAConsole of driver 'bad_console' does not implement org.mirage4j.api.Console (type 'console'; read from NotAConsole.java)",
            "config.mirage:5:14: error: class org.example.app.NotAConsole has no public constructor NotAConsole(String) for driver 'bad_console' (declared parameters: name); it has: NotAConsole(int)",
            "config.mirage:7:5: error: job class org.example.app.TwoConsoles has no public constructor TwoConsoles(Console) for the arguments given to it; it has: TwoConsoles(Console), TwoConsoles(Console, Console)",
            "config.mirage:8:5: error: job class org.example.app.NotAJob does not implement org.mirage4j.api.Job (read from NotAJob.java)",
            "config.mirage:11:5: error: job class org.example.app.Nowhere is neither on the classpath nor in the project's sources; check its name");
  }

  @Test
  void theCheckerReportsWhatLoweringReports() {
    try (MirageFrontEnd.Session s = MirageFrontEnd.open(config, classpath, List.of(sources), project)) {
      assertThat(Fixtures.strings(s.check())).containsAtLeastElementsIn(lower(List.of(sources)));
    }
  }

  @Test
  void withoutSourcesTheClassesAreMissingFromTheClassPath() {
    List<String> problems = lower(List.of());
    assertThat(problems).contains(
        "config.mirage:6:5: error: job class org.example.app.Site is not on the classpath; check its name, or compile it before generating");
    assertThat(problems.stream().filter(p -> p.contains("LocalConsole, which is not on the classpath")).count()).isEqualTo(1);
  }
}
