package org.mirage4j.model;

import java.util.Objects;

/**
 * A position in a {@code .mirage} file.
 *
 * @param file the file as it should be shown to the user (a path relative to the project, or
 *     {@code std.mirage} for the standard library)
 * @param line 1-based line
 * @param column 1-based column
 */
public record SourceLocation(String file, int line, int column) {

  /** Validates the position. */
  public SourceLocation {
    Objects.requireNonNull(file, "file");
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based: " + line + ":" + column);
    }
  }

  /** {@code file:line:col}, as compilers print it. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
