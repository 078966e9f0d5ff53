package org.mirage4j.samples.skeleton.noop;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

/** As the original: nothing to run, so the program starts, prints nothing and exits 0. */
class NoopEndToEndTest {

  @Test
  void startsPrintsNothingAndExitsZero(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir)) {
      assertThat(p.awaitExit()).isEqualTo(0);
      assertThat(p.stdout()).isEmpty();
      assertThat(p.stderr()).isEmpty();
    }
  }

  @Test
  void stillHasTheBuiltInOptions(@TempDir Path dir) throws Exception {
    // no keys, but the options every generated program has: a bad one is a usage error (64)
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--no-such-option")) {
      assertThat(p.awaitExit()).isEqualTo(64);
      assertThat(p.stdout()).isEmpty();
      assertThat(p.stderr()).hasSize(1);
      assertThat(p.stderr().get(0)).contains("--no-such-option");
    }
  }
}
