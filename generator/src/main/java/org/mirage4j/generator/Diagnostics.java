package org.mirage4j.generator;

import java.util.ArrayList;
import java.util.List;
import org.mirage4j.model.SourceLocation;

/**
 * The one sink for every problem the generator finds (after AutoValue's {@code ErrorReporter}):
 * writers report here instead of throwing, so that one run reports every problem, and callers (the
 * Maven plugin, the CLI) decide how to print them.
 */
public final class Diagnostics {

  private final List<Diagnostic> all = new ArrayList<>();

  /** Reports an error at a place in the configuration. */
  public void error(SourceLocation where, String message) {
    all.add(new Diagnostic(Diagnostic.Severity.ERROR, where.toString(), message));
  }

  /** Reports an error about a file. */
  public void error(String where, String message) {
    all.add(new Diagnostic(Diagnostic.Severity.ERROR, where, message));
  }

  /** Reports a warning at a place in the configuration. */
  public void warning(SourceLocation where, String message) {
    all.add(new Diagnostic(Diagnostic.Severity.WARNING, where.toString(), message));
  }

  /** Reports a warning about a file. */
  public void warning(String where, String message) {
    all.add(new Diagnostic(Diagnostic.Severity.WARNING, where, message));
  }

  /** Whether any error was reported. */
  public boolean hasErrors() {
    return all.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
  }

  /** Everything reported, in order. */
  public List<Diagnostic> all() {
    return List.copyOf(all);
  }
}
