package org.mirage4j.api;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValueSyntaxTest {

  private static String durationProblem(String text) {
    return assertThrows(IllegalArgumentException.class, () -> ValueSyntax.parseDuration(text)).getMessage();
  }

  @Test
  void durationsAddUpTheirParts() {
    assertThat(ValueSyntax.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(ValueSyntax.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ValueSyntax.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(ValueSyntax.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(ValueSyntax.parseDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(ValueSyntax.parseDuration("1h1ms")).isEqualTo(Duration.ofHours(1).plusMillis(1));
    assertThat(ValueSyntax.parseDuration("0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void badDurationsSayWhy() {
    String malformed = "expected a duration like 30s, 500ms, 2m or 1h, got '%s'";
    for (String text : new String[] {"", "30", "s", "1m 30s", "-1s", "1.5s"}) {
      assertThat(durationProblem(text)).isEqualTo(String.format(malformed, text));
    }
    assertThat(durationProblem("3d")).isEqualTo("unknown duration unit 'd'; use ms, s, m or h");
    for (String text : new String[] {"99999999999999999999s", "9999999999999999h", "1h9223372036854775807s"}) {
      assertThat(durationProblem(text)).isEqualTo("duration " + text + " is out of range");
    }
  }

  @Test
  void durationsFormatInTheirLargestWholeUnit() {
    assertThat(ValueSyntax.formatDuration(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(ValueSyntax.formatDuration(Duration.ofMinutes(120))).isEqualTo("2h");
    assertThat(ValueSyntax.formatDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
    for (String text : new String[] {"30s", "500ms", "2m", "1h", "0s"}) {
      assertThat(ValueSyntax.formatDuration(ValueSyntax.parseDuration(text))).isEqualTo(text);
    }
  }

  @Test
  void portsAreDecimalDigitsUpTo65535() {
    assertThat(ValueSyntax.parsePort("0")).isEqualTo(0);
    assertThat(ValueSyntax.parsePort("65535")).isEqualTo(65535);
    for (String bad : new String[] {"", "+80", "-1", "65536", "123456", "8o", " 80"}) {
      assertThrows(IllegalArgumentException.class, () -> ValueSyntax.parsePort(bad), bad);
    }
  }

  @Test
  void integersAndBooleans() {
    assertThat(ValueSyntax.parseInt("-3")).isEqualTo(-3L);
    assertThrows(IllegalArgumentException.class, () -> ValueSyntax.parseInt("1.5"));
    assertThrows(IllegalArgumentException.class, () -> ValueSyntax.parseInt("99999999999999999999"));
    assertThat(ValueSyntax.parseBool("true")).isTrue();
    assertThat(ValueSyntax.parseBool("false")).isFalse();
    assertThrows(IllegalArgumentException.class, () -> ValueSyntax.parseBool("yes"));
  }
}
