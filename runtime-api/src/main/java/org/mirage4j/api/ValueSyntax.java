package org.mirage4j.api;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one definition of how key values of the types without a class of their own ({@code int},
 * {@code bool}, {@code port}, {@code duration}) are written. The language (literals and
 * configure-time keys given to {@code mirage configure} or {@code -Dmirage.keys}) and the generated
 * program's options parse with these methods, so a value is accepted or refused the same
 * everywhere; IPv4 and IPv6 values are parsed by {@link Ipv4Address#parse}, {@link
 * Ipv4Prefix#parse}, {@link Ipv6Address#parse} and {@link Ipv6Prefix#parse}.
 *
 * <p>Every method throws {@link IllegalArgumentException} whose message says what is wrong, for the
 * caller to put in context.
 */
public final class ValueSyntax {

  /** How a duration is written, for messages: {@value}. */
  public static final String DURATION_EXAMPLES = "a duration like 30s, 500ms, 2m or 1h";

  private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)([a-z]*)");

  private ValueSyntax() {}

  /** {@code int}: a signed 64-bit decimal integer. */
  public static long parseInt(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an integer: '" + text + "'");
    }
  }

  /** {@code bool}: {@code true} or {@code false}. */
  public static boolean parseBool(String text) {
    switch (text) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new IllegalArgumentException("not true or false: '" + text + "'");
    }
  }

  /** {@code port}: 0 to 65535, decimal digits only. */
  public static int parsePort(String text) {
    if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not a port: '" + text + "'");
    }
    if (text.length() > 5 || Integer.parseInt(text) > 65535) {
      throw new IllegalArgumentException("port " + text + " is over 65535");
    }
    return Integer.parseInt(text);
  }

  /**
   * {@code duration}: one or more parts {@code <digits><unit>}, unit {@code ms}, {@code s}, {@code
   * m} or {@code h}, added up: {@code 30s}, {@code 500ms}, {@code 1m30s}.
   *
   * @throws IllegalArgumentException "unknown duration unit ...", "duration ... is out of range",
   *     or "expected a duration like ..., got '...'"
   */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION_PART.matcher(text);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < text.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException("expected " + DURATION_EXAMPLES + ", got '" + text + "'");
      }
      String unit = m.group(2);
      long amount;
      try {
        amount = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("duration " + text + " is out of range");
      }
      try {
        total =
            total.plus(
                switch (unit) {
                  case "ms" -> Duration.ofMillis(amount);
                  case "s" -> Duration.ofSeconds(amount);
                  case "m" -> Duration.ofMinutes(amount);
                  case "h" -> Duration.ofHours(amount);
                  case "" -> throw new IllegalArgumentException(
                      "expected " + DURATION_EXAMPLES + ", got '" + text + "'");
                  default -> throw new IllegalArgumentException(
                      "unknown duration unit '" + unit + "'; use ms, s, m or h");
                });
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("duration " + text + " is out of range");
      }
      at = m.end();
    }
    if (at == 0) {
      throw new IllegalArgumentException("expected " + DURATION_EXAMPLES + ", got '" + text + "'");
    }
    return total;
  }

  /** A duration as the language writes it, in its largest whole unit: {@code 90s}, {@code 500ms}, {@code 2h}. */
  public static String formatDuration(Duration value) {
    if (value.isNegative() || value.getNano() % 1_000_000 != 0) {
      return value.toString();
    }
    long ms = value.toMillis();
    if (ms != 0 && ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms != 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
