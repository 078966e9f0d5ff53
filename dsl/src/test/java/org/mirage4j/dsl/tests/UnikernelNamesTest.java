package org.mirage4j.dsl.tests;

import static com.google.common.truth.Truth.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mirage4j.dsl.frontend.MirageFrontEnd;

/** Unikernel names with dashes, as five of MirageOS's example unikernels have. */
class UnikernelNamesTest {

  @Test
  void aNameMayHaveDashes() {
    MirageFrontEnd.Outcome o = Fixtures.lower("good/dashed_name.mirage", "unix", Map.of());
    assertThat(Fixtures.strings(o.diagnostics())).isEmpty();
    assertThat(o.model().name()).isEqualTo("hello-key-2");
  }

  @Test
  void aDashedNameIsWrittenWithoutSpaces() {
    assertThat(Fixtures.check("bad/dashed_name.mirage")).containsExactly(
        "dashed_name.mirage:2:11: error: a unikernel's name is written without spaces: hello-key");
  }
}
