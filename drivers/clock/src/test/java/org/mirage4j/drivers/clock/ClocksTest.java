package org.mirage4j.drivers.clock;

import static com.google.common.truth.Truth.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ClocksTest {

  @Test
  void monotonicClockNeverGoesBackwards() throws Exception {
    SystemMonotonicClock clock = new SystemMonotonicClock();
    clock.connect();
    long previous = clock.elapsedNanos();
    assertThat(previous).isAtLeast(0L);
    for (int i = 0; i < 100_000; i++) {
      long now = clock.elapsedNanos();
      assertThat(now).isAtLeast(previous);
      previous = now;
    }
    clock.close();
  }

  @Test
  void monotonicClockAdvancesAcrossASleep() throws Exception {
    SystemMonotonicClock clock = new SystemMonotonicClock();
    long before = clock.elapsedNanos();
    Thread.sleep(5);
    // Only that it moved forward: no bound of any kind on how far.
    assertThat(clock.elapsedNanos()).isGreaterThan(before);
  }

  @Test
  void wallClockIsBetweenTwoReadingsOfTheSystemClock() {
    SystemWallClock clock = new SystemWallClock();
    Instant before = Instant.now();
    Instant now = clock.now();
    Instant after = Instant.now();
    assertThat(now).isAtLeast(before);
    assertThat(now).isAtMost(after);
    assertThat(clock.timezoneOffset()).isPresent();
  }

  @Test
  void wallClockReportsTheZoneOffsetOfItsClock() {
    Instant fixed = Instant.parse("2024-07-01T12:00:00Z");
    SystemWallClock clock = new SystemWallClock(Clock.fixed(fixed, ZoneId.of("Europe/Paris")));
    assertThat(clock.now()).isEqualTo(fixed);
    assertThat(clock.timezoneOffset()).hasValue(ZoneOffset.ofHours(2));
  }
}
