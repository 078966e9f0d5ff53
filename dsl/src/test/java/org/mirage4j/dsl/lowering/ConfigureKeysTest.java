package org.mirage4j.dsl.lowering;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.model.ConfigureKey;
import org.mirage4j.model.Value;

/** The configure keys phase: the user's text, else the default; what a command line got wrong. */
class ConfigureKeysTest {

  @TempDir Path dir;

  private static final String[] CONFIG = {
    "unikernel app",
    "key mode : choice(fast, slow) = fast configure \"how\"",
    "key wait : duration = 1s configure",
    "key port : port = 80",
  };

  @Test
  void theUsersTextWinsOverTheDefault() {
    try (PhaseFixture f = PhaseFixture.of(dir, CONFIG)) {
      ConfigureKeys.Resolved r =
          new ConfigureKeys(f.types, f.constants, f.locator, f.report)
              .resolve(f.file, Map.of("mode", "slow"), f.file.getUnikernels().get(0));
      assertThat(f.problems).isEmpty();
      ConfigureKey mode = r.keys().get("mode");
      assertThat(mode.value().display()).isEqualTo("slow");
      assertThat(mode.fromUser()).isTrue();
      assertThat(mode.doc()).isEqualTo("how");
      ConfigureKey wait = r.keys().get("wait");
      assertThat(wait.value()).isEqualTo(new Value.DurationValue(Duration.ofSeconds(1)));
      assertThat(wait.fromUser()).isFalse();
      // the runtime key is not one of them; std's own configure keys are
      assertThat(r.keys()).doesNotContainKey("port");
      assertThat(r.keys().keySet()).containsAtLeast("mode", "wait");
      assertThat(r.values()).hasSize(r.keys().size());
    }
  }

  @Test
  void whatTheCommandLineGotWrongIsShownAtTheUnikernel() {
    try (PhaseFixture f = PhaseFixture.of(dir, CONFIG)) {
      new ConfigureKeys(f.types, f.constants, f.locator, f.report)
          .resolve(f.file, Map.of("port", "8080", "mood", "x", "wait", "soon"), f.file.getUnikernels().get(0));
      assertThat(f.problems).containsExactly(
          "config.mirage:1:11: ERROR COMMAND_LINE: unknown configure key 'mood' (configure keys: mode, wait,"
              + " net, kv_ro, dhcp, memory, vcpus, gic_version)",
          "config.mirage:1:11: ERROR COMMAND_LINE: 'port' is a runtime key: give it to the generated program"
              + " (--port=8080), not at configure time",
          "config.mirage:1:11: ERROR COMMAND_LINE: configure key 'wait': expected a duration like 30s, 500ms,"
              + " 2m or 1h, got 'soon'");
      assertThat(f.report.hasErrors()).isTrue();
    }
  }

  @Test
  void aKeyInAGroupIsResolvedWhenEvaluationReadsIt() {
    try (PhaseFixture f = PhaseFixture.of(dir, CONFIG)) {
      ConfigureKeys.Resolved r =
          new ConfigureKeys(f.types, f.constants, f.locator, f.report)
              .resolve(f.file, Map.of("fast-mode", "slow", "spare-mode", "slow"), f.file.getUnikernels().get(0));
      assertThat(f.problems).isEmpty();
      assertThat(r.keys()).doesNotContainKey("fast-mode"); // not read yet
      org.mirage4j.dsl.mirage.KeyDecl mode =
          org.mirage4j.dsl.scoping.Visible.keys(f.file).stream().filter(k -> k.getName().equals("mode")).findFirst().orElseThrow();
      assertThat(r.value(mode, "fast").display()).isEqualTo("slow");
      assertThat(r.value(mode, "other").display()).isEqualTo("fast"); // the key's default, not its value
      assertThat(r.value(mode, null).display()).isEqualTo("fast");
      assertThat(r.keys().get("fast-mode").fromUser()).isTrue();
      assertThat(r.keys().get("other-mode").fromUser()).isFalse();
      r.reportUnread("unix");
      assertThat(f.problems).containsExactly(
          "config.mirage:1:11: ERROR COMMAND_LINE: configure key 'spare-mode' is not read on target 'unix':"
              + " nothing in the configuration reads mode@spare (grouped configure keys read: fast-mode, other-mode)");
    }
  }

  @Test
  void aRequiredKeyWithoutAValueIsAnError() {
    try (PhaseFixture f = PhaseFixture.of(dir, "unikernel app", "key size : int required configure")) {
      ConfigureKeys.Resolved r =
          new ConfigureKeys(f.types, f.constants, f.locator, f.report)
              .resolve(f.file, Map.of(), f.file.getUnikernels().get(0));
      assertThat(r.keys()).doesNotContainKey("size");
      assertThat(f.problems).containsExactly(
          "config.mirage:1:11: ERROR COMMAND_LINE: configure key 'size' is required; give it a value,"
              + " e.g. -Dmirage.keys=size=VALUE or mirage configure --size=VALUE");
    }
  }
}
