package org.mirage4j.generator;

import java.util.ArrayList;
import java.util.List;
import org.mirage4j.model.Diagnostic;
import org.mirage4j.model.SourceLocation;

/**
 * The one sink for every problem the generator finds (after AutoValue's {@code ErrorReporter}):
 * writers report here instead of throwing, so that one run reports every problem, and callers (the
 * Maven plugin, the CLI) decide how to print them.
 */
public final class Diagnostics {

  private final List<Diagnostic> all = new ArrayList<>();

  /** Reports an error at a place in the configuration. */
  public void error(SourceLocation where, Diagnostic.Code code, String message) {
    all.add(Diagnostic.error(where, code, message));
  }

  /** Reports a warning at a place in the configuration. */
  public void warning(SourceLocation where, Diagnostic.Code code, String message) {
    all.add(Diagnostic.warning(where, code, message));
  }

  /** Reports an error about an output file. */
  public void error(String file, String message) {
    all.add(Diagnostic.error(SourceLocation.file(file), Diagnostic.Code.OUTPUT, message));
  }

  /** Reports a warning about an output file. */
  public void warning(String file, String message) {
    all.add(Diagnostic.warning(SourceLocation.file(file), Diagnostic.Code.OUTPUT, message));
  }

  /** Whether any error was reported. */
  public boolean hasErrors() {
    return all.stream().anyMatch(Diagnostic::isError);
  }

  /** Everything reported, in order. */
  public List<Diagnostic> all() {
    return List.copyOf(all);
  }
}
