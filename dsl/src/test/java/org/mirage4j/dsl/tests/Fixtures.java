package org.mirage4j.dsl.tests;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mirage4j.model.Diagnostic;
import org.mirage4j.dsl.frontend.MirageFrontEnd;

/** Test inputs under src/test/resources/{good,bad}, opened through the front end as a user would. */
final class Fixtures {

  static final Path RESOURCES = Path.of("src/test/resources").toAbsolutePath();

  private Fixtures() {}

  /** A test input, e.g. {@code bad/cycle.mirage}. */
  static Path file(String relative) {
    return RESOURCES.resolve(relative);
  }

  /** Opens a test input without a class path; diagnostics name the file relative to its folder. */
  static MirageFrontEnd.Session open(String relative) {
    Path p = file(relative);
    return MirageFrontEnd.open(p, null, p.getParent());
  }

  /** {@code check()} of a test input, each diagnostic as printed. */
  static List<String> check(String relative) {
    try (MirageFrontEnd.Session s = open(relative)) {
      return strings(s.check());
    }
  }

  /** {@code lower()} of a test input. */
  static MirageFrontEnd.Outcome lower(String relative, String target, Map<String, String> keys) {
    try (MirageFrontEnd.Session s = open(relative)) {
      return s.lower(target, null, keys);
    }
  }

  /** The diagnostics of lowering a test input, each as printed. */
  static List<String> lowerDiagnostics(String relative, String target, Map<String, String> keys) {
    return strings(lower(relative, target, keys).diagnostics());
  }

  static List<String> strings(List<Diagnostic> diagnostics) {
    return diagnostics.stream().map(Diagnostic::toString).toList();
  }
}
