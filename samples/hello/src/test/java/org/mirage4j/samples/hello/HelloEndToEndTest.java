package org.mirage4j.samples.hello;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

class HelloEndToEndTest {

  @Test
  void printsHelloFourTimesAndExitsZero(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir)) {
      assertThat(p.awaitExit()).isEqualTo(0);
      assertThat(p.stdout()).containsExactly("hello", "hello", "hello", "hello").inOrder();
    }
  }

  @Test
  void unknownOptionExits64WithOneLine(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--nope=1")) {
      assertThat(p.awaitExit()).isEqualTo(64);
      assertThat(p.stderr()).hasSize(1);
      assertThat(p.stderr().get(0)).contains("--nope");
      assertThat(p.stdout()).isEmpty();
    }
  }
}
