package org.mirage4j.tooling;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mirage4j.model.Diagnostic;
import org.junit.jupiter.api.io.TempDir;

/** The job-class rule the Maven plugin relies on (its own classes are compiled after generating). */
class ConfiguratorTest {

  @TempDir Path dir;

  static Path jarOf(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  Configurator.Lowered lower(String config, List<Path> classpath, boolean jobsMayBeMissing)
      throws IOException {
    Path file = dir.resolve("config.mirage");
    Files.writeString(file, config);
    return Configurator.lower(
        new Configurator.Input(file, classpath, dir, "unix", null, Map.of(), jobsMayBeMissing));
  }

  static final String HELLO = "unikernel hello\n\njob org.example.Hello(default_console)\n";

  @Test
  void aMissingJobIsAnErrorUnlessItIsLeftToJavac() throws Exception {
    List<Path> cp = List.of(
        jarOf(org.mirage4j.api.Job.class),
        jarOf(org.mirage4j.drivers.console.StdoutConsole.class));

    Configurator.Lowered strict = lower(HELLO, cp, false);
    assertThat(strict.failed()).isTrue();
    assertThat(strict.problems().toString())
        .contains("config.mirage:3:5: error: job class org.example.Hello is not on the classpath");
    assertThat(strict.problems().stream().map(Diagnostic::code).toList())
        .containsExactly(Diagnostic.Code.JOB_CLASS_MISSING);

    Configurator.Lowered lenient = lower(HELLO, cp, true);
    assertThat(lenient.problems()).isEmpty();
    assertThat(lenient.model().jobs().get(0).className()).isEqualTo("org.example.Hello");
  }

  @Test
  void driversAreStillCheckedWhenJobsMayBeMissing() throws Exception {
    // without the console driver on the class path
    Configurator.Lowered lowered = lower(HELLO, List.of(jarOf(org.mirage4j.api.Job.class)), true);
    assertThat(lowered.failed()).isTrue();
    assertThat(lowered.problems().toString())
        .contains("needs class org.mirage4j.drivers.console.StdoutConsole, which is not on the classpath");
    // the job class is missing too, but that is javac's to report once the project compiles
    assertThat(lowered.problems().stream().map(Diagnostic::code).toList())
        .containsExactly(Diagnostic.Code.MISSING_DEPENDENCY);
    // the artifact std.mirage names for it, for the plugin's <dependency> snippet
    assertThat(lowered.problems().get(0).dependency()).hasValue("org.mirage4j:mirage4j-driver-console");
  }

  @Test
  void aJobOnTheClassPathIsChecked() throws Exception {
    // a class that exists but is no Job: reported even when missing jobs are allowed
    String config = "unikernel hello\n\njob org.mirage4j.drivers.console.StdoutConsole(default_console)\n";
    List<Path> cp = List.of(
        jarOf(org.mirage4j.api.Job.class),
        jarOf(org.mirage4j.drivers.console.StdoutConsole.class));
    Configurator.Lowered lowered = lower(config, cp, true);
    assertThat(lowered.failed()).isTrue();
    assertThat(lowered.problems().toString()).contains("does not implement org.mirage4j.api.Job");
  }
}
