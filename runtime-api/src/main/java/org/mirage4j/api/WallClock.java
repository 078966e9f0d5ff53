package org.mirage4j.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** A wall clock (MirageOS's {@code pclock}): the current date and time, which may jump. */
public interface WallClock extends Device {

  /** The current instant. */
  Instant now();

  /** The local time zone's offset from UTC, when the platform knows it. */
  Optional<ZoneOffset> timezoneOffset();
}
