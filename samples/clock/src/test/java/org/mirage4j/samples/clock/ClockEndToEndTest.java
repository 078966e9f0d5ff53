package org.mirage4j.samples.clock;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

class ClockEndToEndTest {

  @Test
  void printsBothClocksOncePerTick(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--ticks=2")) {
      assertThat(p.awaitExit()).isEqualTo(0);
      assertThat(p.stdout()).hasSize(2);
      for (String line : p.stdout()) {
        assertThat(line).matches("monotonic \\d+\\.\\d{3} s, wall \\d{4}-\\d{2}-\\d{2}T.*Z");
      }
    }
  }

  @Test
  void badIntegerExits64(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--ticks=many")) {
      assertThat(p.awaitExit()).isEqualTo(64);
      assertThat(p.stderr()).hasSize(1);
      assertThat(p.stderr().get(0)).contains("--ticks");
    }
  }
}
