package org.mirage4j.model;

import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;

/**
 * One problem found by any stage (parser, type checker, lowering, generator, tools), printed as
 * javac does: {@code config.mirage:12:17: error: message}. Callers decide by {@link #code()}, never
 * by the message's wording.
 *
 * @param severity error or warning
 * @param location where: a position in a {@code .mirage} file, or a whole file (an output file in
 *     the way: {@link SourceLocation#file(String)})
 * @param code what kind of problem it is
 * @param message what is wrong and what would fix it
 */
public record Diagnostic(Severity severity, SourceLocation location, Code code, String message) {

  /** Error or warning. */
  public enum Severity {
    /** Stops generation. */
    ERROR,
    /** Reported, does not stop generation. */
    WARNING
  }

  /** What kind of problem a diagnostic is. */
  public enum Code {
    /** The text does not parse. */
    SYNTAX,
    /** A name that resolves to nothing visible. */
    UNKNOWN_NAME,
    /** The type checker: argument types and counts, duplicates, cycles, match coverage, unused names. */
    TYPE,
    /** A configuration or imported file cannot be read. */
    UNREADABLE,
    /** The file has no {@code unikernel} declaration, or the unikernel has no job. */
    NO_UNIKERNEL,
    /** Target selection: unknown target, architecture or kind, guest facts a target lacks. */
    TARGET,
    /** A driver has no implementation on the selected target. */
    MISSING_DRIVER,
    /** Configure and runtime keys: unknown, badly typed, required, clashing options. */
    KEY,
    /**
     * What the command line gave (the target, the architecture, a configure key and its value) that
     * the configuration does not accept: a usage error of the command, not a fault of the file.
     */
    COMMAND_LINE,
    /** A name the generated code or files cannot carry (the unikernel's name, the package). */
    NAME,
    /** A host resource or embedded directory a driver needs. */
    RESOURCE,
    /** A job class that is not on the class path (perhaps not compiled yet). */
    JOB_CLASS_MISSING,
    /** A driver or job class that is missing or does not fit (bytecode checks). */
    JAVA_CLASS,
    /**
     * A driver's class is not on the class path and the driver names the Maven artifact that has
     * it: the message ends with {@link #ADD_DEPENDENCY} and the coordinates ({@link #dependency()}).
     */
    MISSING_DEPENDENCY,
    /** An error that only follows from others: shown when nothing else explains it. */
    FOLLOW_UP,
    /** An output file: in the way, not written by the generator, cannot be written or deleted. */
    OUTPUT,
    /** A bug of mirage4j, to be reported. */
    INTERNAL
  }

  /** How a {@link Code#MISSING_DEPENDENCY} message ends, before the artifact's coordinates. */
  public static final String ADD_DEPENDENCY = "; add the dependency ";

  /**
   * The Maven coordinates ({@code groupId:artifactId[:version]}) a {@link Code#MISSING_DEPENDENCY}
   * names; empty for every other problem.
   */
  public java.util.Optional<String> dependency() {
    int at = message.lastIndexOf(ADD_DEPENDENCY);
    if (code != Code.MISSING_DEPENDENCY || at < 0) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(message.substring(at + ADD_DEPENDENCY.length()).trim());
  }

  /** Requires every component. */
  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  /** An error. */
  public static Diagnostic error(SourceLocation location, Code code, String message) {
    return new Diagnostic(Severity.ERROR, location, code, message);
  }

  /** A warning. */
  public static Diagnostic warning(SourceLocation location, Code code, String message) {
    return new Diagnostic(Severity.WARNING, location, code, message);
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

  /** {@code file:line:col: error: message}, or {@code file: error: message} for a whole file. */
  @Override
  public String toString() {
    return location + ": " + severity.name().toLowerCase(Locale.ROOT) + ": " + message;
  }
}
