package org.mirage4j.samples.skeleton.echoserver;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

/** As the original: ten lines of between 0 and 19 {@code a}s, logged at info, then status 0. */
class EchoServerEndToEndTest {

  private static final Pattern LINE =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z: \\[INFO\\] \\[application\\] (.*)$");

  @Test
  void logsTenLinesOfAs(@TempDir Path dir) throws Exception {
    // reads of up to 50 ms instead of 2.5 s: the same program, a shorter wait
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--max-read-delay=50ms")) {
      assertThat(p.awaitExit()).isEqualTo(0);
      List<String> out = p.stdout();
      assertThat(out).hasSize(10);
      for (String line : out) {
        Matcher m = LINE.matcher(line);
        assertThat(m.matches()).isTrue();
        assertThat(m.group(1)).matches("a{0,19}");
      }
      assertThat(p.stderr()).isEmpty();
    }
  }

  @Test
  void theDelayIsADuration(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--max-read-delay=soon")) {
      assertThat(p.awaitExit()).isEqualTo(64);
      assertThat(p.stdout()).isEmpty();
      assertThat(p.stderr().get(0)).contains("--max-read-delay");
    }
  }
}
