package org.mirage4j.generator;

import org.mirage4j.model.Diagnostic;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run of the generator did.
 *
 * @param written every file the generator produced this run, sorted (including those whose content
 *     was already up to date and were therefore not touched)
 * @param deleted generated files of an earlier run that this run no longer produces, sorted
 * @param diagnostics every problem found; when any is an error, nothing was written or deleted
 *     unless the error is about one output file (which is then left alone)
 */
public record GenerationResult(List<Path> written, List<Path> deleted, List<Diagnostic> diagnostics) {

  /** Copies the lists. */
  public GenerationResult {
    written = List.copyOf(written);
    deleted = List.copyOf(deleted);
    diagnostics = List.copyOf(diagnostics);
  }

  /** Whether any diagnostic is an error. */
  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }
}
