package org.mirage4j.drivers.clock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.mirage4j.api.WallClock;

/** The {@code system_pclock} driver: the host's UTC clock and its default time zone. */
public final class SystemWallClock implements WallClock {

  private final Clock clock;

  /** The system clock in the JVM's default time zone. */
  public SystemWallClock() {
    this(Clock.systemDefaultZone());
  }

  /**
   * A wall clock over {@code clock} (tests use a fixed clock); its zone gives the offset.
   *
   * @param clock the source of instants and time zone
   */
  public SystemWallClock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public Optional<ZoneOffset> timezoneOffset() {
    ZoneId zone = clock.getZone();
    try {
      return Optional.of(zone.getRules().getOffset(clock.instant()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
