package org.mirage4j.dsl.lowering;

import java.util.HashSet;
import java.util.Set;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.mirage4j.dsl.SourceLocator;
import org.mirage4j.model.Diagnostic;
import org.mirage4j.model.Diagnostic.Code;

/**
 * What one lowering has reported so far, shared by its phases: every problem goes to the caller's
 * {@link Lowering.Reporter}; an error means there will be no model.
 */
final class Report {

  private final Lowering.Reporter reporter;
  private final SourceLocator locator;
  private final Set<String> reportedSites = new HashSet<>();
  private boolean errors;

  Report(Lowering.Reporter reporter, SourceLocator locator) {
    this.reporter = reporter;
    this.locator = locator;
  }

  /** Reports an error. */
  void error(Code code, EObject where, EStructuralFeature feature, String message) {
    errors = true;
    reporter.report(Diagnostic.Severity.ERROR, code, where, feature, message);
  }

  /** Reports a warning: lowering goes on. */
  void warning(Code code, EObject where, EStructuralFeature feature, String message) {
    reporter.report(Diagnostic.Severity.WARNING, code, where, feature, message);
  }

  /** Reports an error once per position and message (a device function expands many times). */
  void once(Code code, EObject where, EStructuralFeature feature, String message) {
    if (reportedSites.add(locator.locate(where, null) + message)) {
      error(code, where, feature, message);
    }
  }

  /** Reports a warning once per position and message. */
  void warningOnce(Code code, EObject where, EStructuralFeature feature, String message) {
    if (reportedSites.add(locator.locate(where, null) + message)) {
      warning(code, where, feature, message);
    }
  }

  /** Whether an error has been reported. */
  boolean hasErrors() {
    return errors;
  }
}
