package org.mirage4j.dsl.tests;

import static com.google.common.truth.Truth.assertThat;
import static org.mirage4j.dsl.tests.Fixtures.check;
import static org.mirage4j.dsl.tests.Fixtures.lower;
import static org.mirage4j.dsl.tests.Fixtures.lowerDiagnostics;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mirage4j.model.ConfigureKey;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;

/**
 * Configure-time key values are parsed by the generated program's own parsers (runtime-api's
 * {@code KeyType} over {@code ValueSyntax}): what {@code --wait=1m30s} means to the program it means
 * to {@code mirage configure}, with the same message when it is wrong.
 */
class ConfigureValuesTest {

  private static Value value(UnikernelModel model, String key) {
    return model.configureKeys().stream()
        .filter(k -> k.name().equals(key))
        .map(ConfigureKey::value)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void valuesAreParsedAsTheProgramParsesThem() {
    assertThat(check("good/configure_values.mirage")).isEmpty();
    UnikernelModel m =
        lower("good/configure_values.mirage", "unix",
                Map.of("wait", "1h1ms", "gateway", "010.0.0.9", "listen", "8080", "count", "-2"))
            .model();
    assertThat(value(m, "wait")).isEqualTo(new Value.DurationValue(Duration.ofHours(1).plusMillis(1)));
    assertThat(value(m, "gateway")).isEqualTo(new Value.Ipv4AddressValue("10.0.0.9"));
    assertThat(value(m, "listen")).isEqualTo(new Value.PortValue(8080));
    assertThat(value(m, "count")).isEqualTo(new Value.IntValue(-2));
  }

  @Test
  void badValuesAreErrorsNamingTheKey() {
    String[][] cases = {
      {"wait", "99999999999999999h", "expected a duration like 30s, 500ms, 2m or 1h, got '99999999999999999h'"},
      {"wait", "3d", "expected a duration like 30s, 500ms, 2m or 1h, got '3d'"},
      {"gateway", "10.0.0.256", "expected an IPv4 address like 10.0.0.2, got '10.0.0.256'"},
      {"listen", "65536", "expected a port (0-65535), got '65536'"},
      {"listen", "+80", "expected a port (0-65535), got '+80'"},
      {"count", "1.5", "expected an integer, got '1.5'"},
    };
    for (String[] c : cases) {
      assertThat(lowerDiagnostics("good/configure_values.mirage", "unix", Map.of(c[0], c[1])))
          .containsExactly("configure_values.mirage:1:11: error: configure key '" + c[0] + "': " + c[2]);
    }
  }

  @Test
  void aDurationLiteralMayAddUpUnits() {
    // the default written in the file: 1m30s, a literal of the language
    assertThat(value(lower("good/configure_values.mirage", "unix", Map.of()).model(), "wait"))
        .isEqualTo(new Value.DurationValue(Duration.ofSeconds(90)));
  }
}
