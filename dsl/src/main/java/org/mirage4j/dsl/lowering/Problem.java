package org.mirage4j.dsl.lowering;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;

/**
 * A problem found while lowering, positioned on the user's text. (A plain class rather than a
 * record: Xtend code reads it from source.)
 */
public final class Problem {
  private final boolean error;
  private final EObject where;
  private final EStructuralFeature feature;
  private final String message;
  private boolean followUp;

  /**
   * A problem.
   *
   * @param error error (true) or warning
   * @param where the element the problem is about, in the user's file where possible
   * @param feature the part of {@code where} to point at, or {@code null} for all of it
   * @param message the message, naming what would fix it
   */
  public Problem(boolean error, EObject where, EStructuralFeature feature, String message) {
    this.error = error;
    this.where = where;
    this.feature = feature;
    this.message = message;
  }

  /** An error. */
  public static Problem error(EObject where, EStructuralFeature feature, String message) {
    return new Problem(true, where, feature, message);
  }

  /**
   * An error that only follows from others (a value missing because of a problem the checker
   * reports): shown when nothing else explains it, left out of the checker's per-target warnings.
   */
  public static Problem followUp(EObject where, EStructuralFeature feature, String message) {
    Problem p = new Problem(true, where, feature, message);
    p.followUp = true;
    return p;
  }

  /** Whether this error only follows from others. */
  public boolean followUp() {
    return followUp;
  }

  /** A warning. */
  public static Problem warning(EObject where, EStructuralFeature feature, String message) {
    return new Problem(false, where, feature, message);
  }

  /** Error (true) or warning. */
  public boolean error() {
    return error;
  }

  /** The element the problem is about. */
  public EObject where() {
    return where;
  }

  /** The part of {@link #where()} to point at, or {@code null}. */
  public EStructuralFeature feature() {
    return feature;
  }

  /** The message. */
  public String message() {
    return message;
  }

  @Override
  public String toString() {
    return (error ? "error: " : "warning: ") + message;
  }
}
