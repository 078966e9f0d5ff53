package org.mirage4j.model;

import java.util.Objects;

/**
 * A position in a {@code .mirage} file, or a whole file (line and column 0).
 *
 * @param file the file as it should be shown to the user (a path relative to the project, or
 *     {@code std.mirage} for the standard library)
 * @param line 1-based line, or 0 for the whole file
 * @param column 1-based column, or 0 for the whole file
 */
public record SourceLocation(String file, int line, int column) {

  /** Validates the position. */
  public SourceLocation {
    Objects.requireNonNull(file, "file");
    boolean wholeFile = line == 0 && column == 0;
    if (!wholeFile && (line < 1 || column < 1)) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
  }

  /** A whole file, without a position in it (an output file in the way). */
  public static SourceLocation file(String file) {
    return new SourceLocation(file, 0, 0);
  }

  /** Whether this names a whole file rather than a position in it. */
  public boolean wholeFile() {
    return line == 0;
  }

  /** {@code file:line:col}, as compilers print it, or {@code file} for a whole file. */
  @Override
  public String toString() {
    return wholeFile() ? file : file + ":" + line + ":" + column;
  }
}
