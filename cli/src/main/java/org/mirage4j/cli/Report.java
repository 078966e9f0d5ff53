package org.mirage4j.cli;

import org.mirage4j.model.Diagnostic;
import java.io.PrintWriter;
import java.util.List;

/** Prints problems as compilers do, one line each, to stderr. */
final class Report {

  private Report() {}

  /** Prints every problem; returns whether any is an error. */
  static boolean print(List<Diagnostic> problems, PrintWriter err) {
    boolean failed = false;
    for (Diagnostic p : problems) {
      err.println(p);
      failed |= p.isError();
    }
    err.flush();
    return failed;
  }
}
