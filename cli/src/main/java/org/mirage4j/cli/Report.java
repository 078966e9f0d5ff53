package org.mirage4j.cli;

import org.mirage4j.model.Diagnostic;
import java.io.PrintWriter;
import java.util.List;

/** Prints problems as compilers do, one line each, to stderr. */
final class Report {

  private Report() {}

  /**
   * When the command line gave what the configuration does not accept (a target, an architecture,
   * a configure key or its value), a usage error: its messages, one line each, as {@code mirage
   * CMD: message}, and nothing else (what follows from them would mislead).
   *
   * @throws Main.UsageException the first such message, after printing the others
   */
  static void commandLineErrors(List<Diagnostic> problems, String command, PrintWriter err) {
    List<Diagnostic> usage =
        problems.stream().filter(p -> p.isError() && p.code() == Diagnostic.Code.COMMAND_LINE).toList();
    if (usage.isEmpty()) {
      return;
    }
    for (Diagnostic p : usage.subList(1, usage.size())) {
      err.println("mirage " + command + ": " + p.message());
    }
    throw new Main.UsageException(usage.get(0).message());
  }

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
