package org.mirage4j.tooling;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mirage4j.dsl.frontend.Diagnostic;

/**
 * One problem of a run, from the front end or the generator, printed as javac does: {@code
 * config.mirage:12:17: error: message}. The CLI prints {@link #toString()}; the Maven plugin also
 * hands {@link #file()}, {@link #line()} and {@link #column()} to the IDE.
 *
 * @param error error or warning
 * @param file the file as shown to the user
 * @param line 1-based line, or 0 when the problem is about a whole file (an output file in the way)
 * @param column 1-based column, or 0 with {@code line}
 * @param message what is wrong
 */
public record Problem(boolean error, String file, int line, int column, String message) {

  private static final Pattern POSITION = Pattern.compile("(.*):(\\d+):(\\d+)");

  /** Requires every component. */
  public Problem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /** A problem of the front end. */
  public static Problem of(Diagnostic d) {
    return new Problem(
        d.isError(), d.location().file(), d.location().line(), d.location().column(), d.message());
  }

  /** A problem of the generator: its {@code where} is {@code file:line:col} or a file path. */
  public static Problem of(org.mirage4j.generator.Diagnostic d) {
    boolean error = d.severity() == org.mirage4j.generator.Diagnostic.Severity.ERROR;
    Matcher m = POSITION.matcher(d.where());
    if (m.matches()) {
      return new Problem(
          error, m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), d.message());
    }
    return new Problem(error, d.where(), 0, 0, d.message());
  }

  /** {@code file:line:col: error: message}, or {@code file: error: message} without a position. */
  @Override
  public String toString() {
    String where = line > 0 ? file + ":" + line + ":" + column : file;
    return where + ": " + (error ? "error" : "warning") + ": " + message;
  }
}
