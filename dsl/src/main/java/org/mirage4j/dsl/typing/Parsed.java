package org.mirage4j.dsl.typing;

/**
 * A value read from the user's text (a literal, a configure key's value), or the problem that
 * prevented it.
 *
 * @param value the value, when there is no problem
 * @param problem what was wrong, or {@code null}
 */
public record Parsed<T>(T value, String problem) {

  /** A value. */
  public static <T> Parsed<T> of(T value) {
    return new Parsed<>(value, null);
  }

  /** A problem. */
  public static <T> Parsed<T> problem(String problem) {
    return new Parsed<>(null, problem);
  }
}
