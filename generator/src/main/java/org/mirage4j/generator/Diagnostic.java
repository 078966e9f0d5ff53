package org.mirage4j.generator;

import java.util.Objects;

/**
 * One problem found while generating, reported against the user's configuration or a file.
 *
 * @param severity how bad it is
 * @param where {@code config.mirage:12:5}, or a file path for problems with output files
 * @param message what is wrong and, where possible, what would fix it
 */
public record Diagnostic(Severity severity, String where, String message) {

  /** How bad a diagnostic is. */
  public enum Severity {
    /** Generation did not (fully) happen; the build must stop. */
    ERROR,
    /** Worth knowing; the output is complete. */
    WARNING
  }

  /** Requires every component. */
  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(message, "message");
  }

  /** As compilers print it: {@code config.mirage:12:5: error: message}. */
  @Override
  public String toString() {
    return where + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
  }
}
