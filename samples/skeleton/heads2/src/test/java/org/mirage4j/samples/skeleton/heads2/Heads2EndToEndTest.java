package org.mirage4j.samples.skeleton.heads2;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

/** As the original: Heads, then Tails, then Finished, each once, and nothing else; status 0. */
class Heads2EndToEndTest {

  private static final Pattern LINE =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z: \\[(\\w+)\\] \\[application\\] (.*)$");

  @Test
  void logsHeadsThenTailsThenFinished(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir)) {
      assertThat(p.awaitExit()).isEqualTo(0);
      List<String> out = p.stdout();
      List<String> messages = out.stream().map(LINE::matcher).filter(Matcher::matches)
          .map(m -> m.group(1) + " " + m.group(2)).toList();
      assertThat(messages).containsExactly("INFO Heads", "INFO Tails", "INFO Finished").inOrder();
      assertThat(out).hasSize(3); // every line is one of those
      assertThat(p.stderr()).isEmpty();
    }
  }
}
