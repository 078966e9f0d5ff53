package org.mirage4j.samples.skeleton.locallibrary;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

/** As the original: one message, the library's, and status 0. */
class LocalLibraryEndToEndTest {

  @Test
  void logsTheLibrarysMessage(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir)) {
      assertThat(p.awaitExit()).isEqualTo(0);
      assertThat(p.stdout()).hasSize(1);
      assertThat(p.stdout().get(0))
          .matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z: \\[INFO\\] \\[application\\] "
              + "The hello library has a message for you: Hello!");
      assertThat(p.stderr()).isEmpty();
    }
  }
}
