package org.mirage4j.dsl.frontend;

import java.util.Comparator;
import org.mirage4j.model.SourceLocation;

/**
 * One problem in a user's configuration, printed as javac does: {@code
 * config.mirage:12:17: error: message}.
 *
 * @param severity error or warning
 * @param location file, 1-based line and column
 * @param message what is wrong and what would fix it
 */
public record Diagnostic(Severity severity, SourceLocation location, String message) {

  /** Error or warning. */
  public enum Severity {
    /** Stops generation. */
    ERROR,
    /** Reported, does not stop generation. */
    WARNING
  }

  /** By file, line, column, then errors before warnings. */
  public static final Comparator<Diagnostic> ORDER =
      Comparator.comparing((Diagnostic d) -> d.location().file())
          .thenComparingInt(d -> d.location().line())
          .thenComparingInt(d -> d.location().column())
          .thenComparing(Diagnostic::severity)
          .thenComparing(Diagnostic::message);

  /** Whether this is an error. */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code file:line:col: error: message}. */
  @Override
  public String toString() {
    return location + ": " + (isError() ? "error" : "warning") + ": " + message;
  }
}
