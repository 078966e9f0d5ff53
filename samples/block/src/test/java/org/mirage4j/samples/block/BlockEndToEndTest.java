package org.mirage4j.samples.block;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

class BlockEndToEndTest {

  @Test
  void createsTheDiskAndVerifiesSectors(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--block-size=65536")) {
      assertThat(p.awaitExit()).isEqualTo(0);
      assertThat(p.stdout()).contains("verified 13 sectors");
    }
    assertThat(Files.size(dir.resolve("disk.img"))).isEqualTo(65536);
  }
}
