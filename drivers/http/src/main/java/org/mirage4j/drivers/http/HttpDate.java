package org.mirage4j.drivers.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** HTTP dates (RFC 9110 5.6.7): IMF-fixdate, formatted at most once a second for {@code Date}. */
final class HttpDate {
  private HttpDate() {}

  /** {@code Sun, 06 Nov 1994 08:49:37 GMT}: always two-digit days, unlike RFC_1123_DATE_TIME. */
  static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private record Cached(long second, byte[] header) {}

  private static volatile Cached cached = new Cached(Long.MIN_VALUE, new byte[0]);

  /** The header line {@code Date: ...\r\n} for now, as bytes. */
  static byte[] dateHeader() {
    long second = System.currentTimeMillis() / 1000;
    Cached c = cached;
    if (c.second != second) {
      String line = "Date: " + IMF_FIXDATE.format(Instant.ofEpochSecond(second)) + "\r\n";
      c = new Cached(second, line.getBytes(StandardCharsets.US_ASCII));
      cached = c;
    }
    return c.header;
  }

  /** Formats an instant (to the second). */
  static String format(Instant instant) {
    return IMF_FIXDATE.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * Parses an HTTP date in IMF-fixdate form (the obsolete RFC 850 and asctime forms are accepted as
   * RFC 9110 asks of recipients), or returns {@code null}.
   */
  static Instant parse(String text) {
    String t = text.strip();
    try {
      return Instant.from(IMF_FIXDATE.parse(t));
    } catch (DateTimeParseException e) {
      // fall through
    }
    try {
      return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(t));
    } catch (DateTimeParseException e) {
      // fall through
    }
    try {
      return Instant.from(
          DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC).parse(t));
    } catch (DateTimeParseException e) {
      // fall through
    }
    try {
      return Instant.from(
          DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC).parse(t));
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
