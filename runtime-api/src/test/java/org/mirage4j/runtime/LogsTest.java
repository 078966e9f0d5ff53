package org.mirage4j.runtime;

import static com.google.common.truth.Truth.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogsTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private void capture(String spec) {
    capture(spec, "2026-12-01T23:40:12.345678Z");
  }

  private void capture(String spec, String time) {
    Logs.output(new PrintStream(out, true, StandardCharsets.UTF_8),
        Clock.fixed(Instant.parse(time), ZoneOffset.UTC));
    Logs.configure(LogSettings.parse(List.of(spec)));
  }

  private String lines() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @AfterEach
  void restore() {
    Logs.output(null, null);
    Logs.configure(LogSettings.DEFAULT);
  }

  @Test
  void theJdkFindsTheRuntimesLoggerFinder() {
    assertThat(System.LoggerFinder.getLoggerFinder()).isInstanceOf(LogFinder.class);
    capture("info");
    System.getLogger("http").log(Level.INFO, "listening on {0} ({1})", "*:8080", "http");
    assertThat(lines()).isEqualTo("2026-12-01T23:40:12.345Z: [INFO] [http] listening on *:8080 (http)\n");
  }

  @Test
  void aWholeSecondStillHasThreeFractionDigits() {
    capture("info", "2026-12-02T16:39:25Z");
    System.getLogger("site").log(Level.INFO, "up");
    assertThat(lines()).isEqualTo("2026-12-02T16:39:25.000Z: [INFO] [site] up\n");
  }

  @Test
  void perSourceThresholdsOverrideTheDefault() {
    capture("warning,http:debug");
    System.Logger http = System.getLogger("http");
    System.Logger client = System.getLogger("http.client");
    System.Logger dns = System.getLogger("dns");
    http.log(Level.DEBUG, "a");
    client.log(Level.DEBUG, () -> "b");
    dns.log(Level.INFO, "c");
    dns.log(Level.WARNING, "d");
    dns.log(Level.TRACE, "e");
    assertThat(lines()).isEqualTo(
        "2026-12-01T23:40:12.345Z: [DEBUG] [http] a\n"
            + "2026-12-01T23:40:12.345Z: [DEBUG] [http.client] b\n"
            + "2026-12-01T23:40:12.345Z: [WARNING] [dns] d\n");
    assertThat(dns.isLoggable(Level.INFO)).isFalse();
    assertThat(http.isLoggable(Level.DEBUG)).isTrue();
  }

  @Test
  void loggersMadeBeforeConfigureFollowIt() {
    System.Logger early = System.getLogger("kv");
    capture("quiet");
    early.log(Level.ERROR, "never");
    assertThat(lines()).isEmpty();
    Logs.configure(LogSettings.parse(List.of("kv:error")));
    early.log(Level.ERROR, "now");
    assertThat(lines()).endsWith("[ERROR] [kv] now\n");
  }

  @Test
  void aLineIsOneLineAndAnExceptionIsItsMessage() {
    capture("debug");
    System.getLogger("block").log(Level.WARNING, "read\nfailed", new IOException("sector 9"));
    System.getLogger("block").log(Level.ERROR, "no message", new IllegalStateException());
    assertThat(lines()).isEqualTo(
        "2026-12-01T23:40:12.345Z: [WARNING] [block] read failed: sector 9\n"
            + "2026-12-01T23:40:12.345Z: [ERROR] [block] no message: java.lang.IllegalStateException\n");
  }

  @Test
  void settingsReadBack() {
    LogSettings s = LogSettings.parse(List.of("debug,http:warn", "dns:quiet"));
    assertThat(s.toString()).isEqualTo("debug,http:warning,dns:quiet");
    assertThat(s.isLoggable("dns", Level.ERROR)).isFalse();
    assertThat(s.isLoggable("tcp", Level.DEBUG)).isTrue();
    assertThat(s.isLoggable("tcp", Level.TRACE)).isFalse();
  }
}
