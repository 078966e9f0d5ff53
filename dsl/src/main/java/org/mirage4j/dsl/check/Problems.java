package org.mirage4j.dsl.check;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.validation.ValidationMessageAcceptor;

/**
 * Where the checks report: the validator's message acceptor, with the overloads of Xtext's
 * validators (a feature of the element, an index into a list feature, an issue code).
 */
public final class Problems {

  private final ValidationMessageAcceptor acceptor;

  /** Reports to {@code acceptor}. */
  public Problems(ValidationMessageAcceptor acceptor) {
    this.acceptor = acceptor;
  }

  /** An error at {@code feature} of {@code where} ({@code null}: all of it). */
  public void error(String message, EObject where, EStructuralFeature feature) {
    error(message, where, feature, ValidationMessageAcceptor.INSIGNIFICANT_INDEX, null);
  }

  /** An error with an issue code. */
  public void error(String message, EObject where, EStructuralFeature feature, String code) {
    error(message, where, feature, ValidationMessageAcceptor.INSIGNIFICANT_INDEX, code);
  }

  /** An error at one element of a list feature. */
  public void error(String message, EObject where, EStructuralFeature feature, int index) {
    error(message, where, feature, index, null);
  }

  /** An error at one element of a list feature, with an issue code. */
  public void error(String message, EObject where, EStructuralFeature feature, int index, String code) {
    acceptor.acceptError(message, where, feature, index, code);
  }

  /** A warning at {@code feature} of {@code where} ({@code null}: all of it). */
  public void warning(String message, EObject where, EStructuralFeature feature) {
    warning(message, where, feature, ValidationMessageAcceptor.INSIGNIFICANT_INDEX, null);
  }

  /** A warning with an issue code. */
  public void warning(String message, EObject where, EStructuralFeature feature, String code) {
    warning(message, where, feature, ValidationMessageAcceptor.INSIGNIFICANT_INDEX, code);
  }

  /** A warning at one element of a list feature. */
  public void warning(String message, EObject where, EStructuralFeature feature, int index) {
    warning(message, where, feature, index, null);
  }

  /** A warning at one element of a list feature, with an issue code. */
  public void warning(String message, EObject where, EStructuralFeature feature, int index, String code) {
    acceptor.acceptWarning(message, where, feature, index, code);
  }

  /**
   * How a name the user may have left out (a syntax error) reads in a message: as written, or
   * nothing.
   */
  static String text(Object o) {
    return o == null ? "" : o.toString();
  }
}
