package org.mirage4j.samples.hellokey;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

class HelloKeyEndToEndTest {

  @Test
  void defaultGreeting(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir)) {
      assertThat(p.awaitExit()).isEqualTo(0);
      assertThat(p.stdout()).containsExactly("Hello World!", "Hello World!", "Hello World!", "Hello World!");
    }
  }

  @Test
  void greetingFromTheCommandLine(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--hello", "Bonjour")) {
      assertThat(p.awaitExit()).isEqualTo(0);
      assertThat(p.stdout()).containsExactly("Bonjour", "Bonjour", "Bonjour", "Bonjour");
    }
  }

  @Test
  void helpListsTheKey(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--help")) {
      assertThat(p.awaitExit()).isEqualTo(0);
      assertThat(String.join("\n", p.stdout())).contains("--hello");
      assertThat(String.join("\n", p.stdout())).contains("How to say hello.");
    }
  }
}
