package org.mirage4j.samples.skeleton.timeout1;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

/**
 * As the original: after a 2 s timeout the random sleep has returned "Heads" if it was shorter, or
 * is cancelled; either way the answer comes no sooner than the whole timeout.
 * The drawn sleep is read from the job's debug line; a draw within 100 ms of the timeout may go
 * either way.
 */
class Timeout1EndToEndTest {

  private static final Pattern LINE =
      Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z): \\[(\\w+)\\] \\[application\\] (.*)$");

  record Message(Instant at, String text) {}

  @Test
  void answersAsTheDrawSays(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, "-l", "application:debug")) {
      assertThat(p.awaitExit()).isEqualTo(0);
      List<Message> messages = p.stdout().stream().map(LINE::matcher).filter(Matcher::matches)
          .map(m -> new Message(Instant.parse(m.group(1)), m.group(2) + " " + m.group(3))).toList();
      assertThat(messages).hasSize(2);
      Matcher sleeping = Pattern.compile("DEBUG sleeping (\\d+) ms").matcher(messages.get(0).text());
      assertThat(sleeping.matches()).isTrue();
      long drawn = Long.parseLong(sleeping.group(1));
      assertThat(drawn).isAtLeast(0L);
      assertThat(drawn).isLessThan(3000L);
      String answer = messages.get(1).text();
      if (drawn < 1900) {
        assertThat(answer).isEqualTo("INFO Returned \"Heads\"");
      } else if (drawn > 2100) {
        assertThat(answer).isEqualTo("INFO Cancelled");
      } else {
        assertThat(answer).isAnyOf("INFO Returned \"Heads\"", "INFO Cancelled");
      }
      // a lower bound only (sleeps never end early); 2 ms for the log's millisecond truncation
      long waited = Duration.between(messages.get(0).at(), messages.get(1).at()).toMillis();
      assertThat(waited).isAtLeast(2000L - 2);
      assertThat(p.stdout()).hasSize(2);
    }
  }

  @Test
  void atTheDefaultLevelOnlyTheAnswer(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir)) {
      assertThat(p.awaitExit()).isEqualTo(0);
      assertThat(p.stdout()).hasSize(1);
      assertThat(p.stdout().get(0)).matches(".*: \\[INFO\\] \\[application\\] (Returned \"Heads\"|Cancelled)");
    }
  }
}
