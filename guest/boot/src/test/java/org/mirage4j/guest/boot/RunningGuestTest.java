package org.mirage4j.guest.boot;

import static com.google.common.truth.Truth.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The exit status a guest's console reports, with a shell standing in for the emulator. */
class RunningGuestTest {

  private static RunningGuest console(String script) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    return new RunningGuest(p, List.of(), line -> {}, true);
  }

  @Test
  void aRebootIsNotTheEndTheNextExitLineIs() throws Exception {
    try (RunningGuest g = console("echo 'mirage4j-guest: slides exited with status 143; rebooting\r'; sleep 1;"
        + " echo 'mirage4j-guest: slides exited with status 7'; sleep 30")) {
      assertThat(g.waitFor(Duration.ofSeconds(20))).isEqualTo(OptionalInt.of(7));
      assertThat(g.console()).contains("mirage4j-guest: slides exited with status 143; rebooting");
    }
  }

  @Test
  void inAXenBoxTheDom0SaysWhenTheGuestIsGoneForGood() throws Exception {
    try (RunningGuest g = console("echo 'mirage4j-xenbox: created slides (domain 1)';"
        + " echo 'mirage4j-guest: slides exited with status 143'; sleep 1;"
        + " echo 'mirage4j-xenbox: slides rebooted; xl created it again (domain 2):'; sleep 1;"
        + " echo 'mirage4j-guest: slides exited with status 143'; echo 'mirage4j-xenbox: slides is gone (exit status 5)';"
        + " sleep 30")) {
      assertThat(g.waitFor(Duration.ofSeconds(20))).isEqualTo(OptionalInt.of(5));
      assertThat(g.console()).contains("mirage4j-xenbox: slides rebooted; xl created it again (domain 2):");
    }
    try (RunningGuest g = console("echo 'mirage4j-xenbox: created slides (domain 1)';"
        + " echo 'mirage4j-xenbox: slides is gone (exit status unknown)'; sleep 30")) {
      long t0 = System.nanoTime();
      assertThat(g.waitFor(Duration.ofSeconds(20))).isEqualTo(OptionalInt.empty());
      assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(15).toNanos());
    }
  }

  @Test
  void aGuestThatOnlyRebootedHasNoStatusYet() throws Exception {
    try (RunningGuest g = console("echo 'mirage4j-guest: slides exited with status 143; rebooting'; sleep 30")) {
      assertThat(g.waitFor(Duration.ofSeconds(2))).isEqualTo(OptionalInt.empty());
    }
  }
}
