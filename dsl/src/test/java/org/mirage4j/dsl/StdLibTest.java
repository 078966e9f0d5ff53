package org.mirage4j.dsl;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.model.Diagnostic;
import org.mirage4j.dsl.frontend.MirageFrontEnd;

/**
 * The standard library is checked like any user file: a copy of it, opened as a configuration,
 * has no error (its only diagnostics are that each declaration shadows the real std's).
 */
class StdLibTest {

  @Test
  void standardLibraryHasNoErrors(@TempDir Path dir) throws IOException {
    Path copy = dir.resolve("std-copy.mirage");
    try (InputStream in = StdLib.class.getClassLoader().getResourceAsStream(StdLib.RESOURCE)) {
      Files.copy(in, copy);
    }
    try (MirageFrontEnd.Session session = MirageFrontEnd.open(copy, null, dir)) {
      List<Diagnostic> diagnostics = session.check();
      assertThat(diagnostics.stream().filter(Diagnostic::isError).map(Diagnostic::toString).toList()).isEmpty();
      assertThat(diagnostics.stream().map(Diagnostic::message).filter(m -> !m.contains("shadows the standard library")).toList())
          .isEmpty();
    }
  }
}
