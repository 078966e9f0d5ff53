package org.mirage4j.dsl.check;

/**
 * The issue codes of the checker's own problems (the per-target ones carry a {@code
 * model.Diagnostic.Code}'s name instead).
 */
public final class IssueCodes {

  private IssueCodes() {}

  /** A name declared twice, or one that shadows another file's. */
  public static final String DUPLICATE = "duplicate";

  /** A device or key that no job reaches. */
  public static final String UNUSED = "unused";

  /** An argument or constant that does not fit where it stands. */
  public static final String BAD_ARGUMENT = "badArgument";
}
