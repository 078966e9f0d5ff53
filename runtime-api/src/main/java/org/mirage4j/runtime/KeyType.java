package org.mirage4j.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.Ipv6Prefix;
import org.mirage4j.api.ValueSyntax;

/**
 * The type of a runtime key: how its command-line text is parsed into a Java value and how a value
 * is shown again (in {@code --help}). One constant per type of the language, with the Java types of
 * the conventions: {@code int} is a {@code Long}, {@code port} an {@code Integer}, {@code choice} a
 * {@code String}, {@code list(T)} a {@code List} of {@code T}.
 *
 * @param <T> the Java type of a value
 */
public final class KeyType<T> {

  /** {@code int}: a signed 64-bit integer. */
  public static final KeyType<Long> INT =
      new KeyType<>("int", "an integer", ValueSyntax::parseInt, String::valueOf);

  /** {@code bool}: {@code true} or {@code false}; a bare {@code --flag} means {@code true}. */
  public static final KeyType<Boolean> BOOL =
      new KeyType<>("bool", "true or false", ValueSyntax::parseBool, String::valueOf);

  /** {@code string}: any text. */
  public static final KeyType<String> STRING =
      new KeyType<>("string", "a string", Function.identity(), Function.identity());

  /** {@code port}: a TCP or UDP port, 0 to 65535. */
  public static final KeyType<Integer> PORT =
      new KeyType<>("port", "a port (0-65535)", ValueSyntax::parsePort, String::valueOf);

  /** {@code ipv4-address}: a dotted quad such as {@code 10.0.0.2}. */
  public static final KeyType<Ipv4Address> IPV4_ADDRESS =
      new KeyType<>(
          "ipv4-address", "an IPv4 address like 10.0.0.2", Ipv4Address::parse, String::valueOf);

  /** {@code ipv4-prefix}: an address with prefix length such as {@code 10.0.0.2/24}. */
  public static final KeyType<Ipv4Prefix> IPV4_PREFIX =
      new KeyType<>(
          "ipv4-prefix", "an IPv4 prefix like 10.0.0.2/24", Ipv4Prefix::parse, String::valueOf);

  /** {@code ipv6-address}: an IPv6 address such as {@code 2001:db8::1}. */
  public static final KeyType<Ipv6Address> IPV6_ADDRESS =
      new KeyType<>(
          "ipv6-address", "an IPv6 address like 2001:db8::1", Ipv6Address::parse, String::valueOf);

  /** {@code ipv6-prefix}: an address with prefix length such as {@code 2001:db8::2/64}. */
  public static final KeyType<Ipv6Prefix> IPV6_PREFIX =
      new KeyType<>(
          "ipv6-prefix", "an IPv6 prefix like 2001:db8::2/64", Ipv6Prefix::parse, String::valueOf);

  /**
   * {@code duration}: one or more groups of a number and a unit, {@code ms}, {@code s}, {@code m}
   * or {@code h} ({@code 30s}, {@code 500ms}, {@code 1h30m}).
   */
  public static final KeyType<Duration> DURATION =
      new KeyType<>(
          "duration",
          ValueSyntax.DURATION_EXAMPLES,
          ValueSyntax::parseDuration,
          ValueSyntax::formatDuration);

  private final String name;
  private final String expected;
  private final Function<String, T> parser;
  private final Function<T, String> formatter;

  private KeyType(
      String name, String expected, Function<String, T> parser, Function<T, String> formatter) {
    this.name = name;
    this.expected = expected;
    this.parser = parser;
    this.formatter = formatter;
  }

  /**
   * {@code choice(a, b, ...)}: one of a fixed set of names.
   *
   * @param values the allowed names, at least one
   */
  public static KeyType<String> choice(String... values) {
    List<String> allowed = List.of(values);
    if (allowed.isEmpty()) {
      throw new IllegalArgumentException("a choice needs at least one value");
    }
    String joined = String.join(", ", allowed);
    return new KeyType<>(
        "choice(" + joined + ")",
        "one of " + joined,
        text -> {
          if (!allowed.contains(text)) {
            throw new IllegalArgumentException("not one of the choices");
          }
          return text;
        },
        Function.identity());
  }

  /**
   * {@code list(T)}: comma-separated values of one type; the empty text is the empty list.
   *
   * @param element the type of each element; not itself a list, since commas cannot nest
   */
  public static <E> KeyType<List<E>> list(KeyType<E> element) {
    Objects.requireNonNull(element, "element");
    if (element.isList()) {
      throw new IllegalArgumentException("a list of lists cannot be written on a command line");
    }
    return new KeyType<>(
        "list(" + element.name + ")",
        "a comma-separated list, each " + element.expected,
        text -> {
          if (text.isEmpty()) {
            return List.of();
          }
          List<E> values = new ArrayList<>();
          for (String part : text.split(",", -1)) {
            values.add(element.parse(part.strip()));
          }
          return Collections.unmodifiableList(values);
        },
        values -> values.stream().map(element::format).collect(Collectors.joining(",")));
  }

  /** Whether this is a {@code list(T)}: an option of it may be given several times, the values adding up. */
  public boolean isList() {
    return name.startsWith("list(");
  }

  /** The type as the language writes it: {@code port}, {@code choice(a, b)}, {@code list(int)}. */
  public String name() {
    return name;
  }

  /** What a value must look like, for messages: {@code a port (0-65535)}. */
  public String expected() {
    return expected;
  }

  /** Whether an option of this type may be given bare ({@code --flag}), meaning {@code true}. */
  public boolean isFlag() {
    return this == BOOL;
  }

  /**
   * Parses command-line text.
   *
   * @throws IllegalArgumentException with the message {@code expected <what>, got '<text>'}
   */
  public T parse(String text) {
    Objects.requireNonNull(text, "text");
    try {
      T value = parser.apply(text);
      if (value == null) {
        throw new IllegalArgumentException();
      }
      return value;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("expected " + expected + ", got '" + text + "'", e);
    }
  }

  /** Shows a value as it would be written on the command line. */
  public String format(T value) {
    return formatter.apply(value);
  }

  @Override
  public String toString() {
    return name;
  }
}
