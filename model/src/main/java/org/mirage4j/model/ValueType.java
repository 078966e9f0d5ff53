package org.mirage4j.model;

import java.util.List;
import java.util.Objects;

/** The type of a key or of a literal driver parameter. */
public sealed interface ValueType permits ValueType.Primitive, ValueType.Choice, ValueType.ListOf {

  /** The built-in scalar types. */
  enum Kind {
    /** A signed 64-bit integer ({@code long} in Java). */
    INT("int"),
    /** {@code true} or {@code false}. */
    BOOL("bool"),
    /** Any text. */
    STRING("string"),
    /** A TCP/UDP port, 0 to 65535 ({@code int} in Java). */
    PORT("port"),
    /** A dotted-quad IPv4 address ({@code org.mirage4j.api.Ipv4Address}). */
    IPV4_ADDRESS("ipv4-address"),
    /** An IPv4 address with prefix length ({@code org.mirage4j.api.Ipv4Prefix}). */
    IPV4_PREFIX("ipv4-prefix"),
    /** A duration such as {@code 30s} ({@code java.time.Duration}). */
    DURATION("duration"),
    /** An IPv6 address ({@code org.mirage4j.api.Ipv6Address}). */
    IPV6_ADDRESS("ipv6-address"),
    /** An IPv6 address with prefix length ({@code org.mirage4j.api.Ipv6Prefix}). */
    IPV6_PREFIX("ipv6-prefix");

    private final String keyword;

    Kind(String keyword) {
      this.keyword = keyword;
    }

    /** The type's name in the language. */
    public String keyword() {
      return keyword;
    }
  }

  /** The type as written in the language: {@code int}, {@code choice(a, b)}, {@code list(port)}. */
  String display();

  /** A scalar type. */
  record Primitive(Kind kind) implements ValueType {
    /** Requires a kind. */
    public Primitive {
      Objects.requireNonNull(kind, "kind");
    }

    @Override
    public String display() {
      return kind.keyword();
    }
  }

  /** One of a fixed set of values (names, or strings that are not names); Java type {@code String}. */
  record Choice(List<String> values) implements ValueType {
    /** Copies the values; there must be at least one. */
    public Choice {
      values = List.copyOf(values);
      if (values.isEmpty()) {
        throw new IllegalArgumentException("a choice needs at least one value");
      }
    }

    @Override
    public String display() {
      return "choice(" + shown() + ")";
    }

    /** The values as the language writes them: {@code h2, "http/1.1"}. */
    public String shown() {
      StringBuilder b = new StringBuilder();
      for (String v : values) {
        b.append(b.length() == 0 ? "" : ", ").append(show(v));
      }
      return b.toString();
    }

    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Whether a value is a name, written bare (and referenced by it) rather than as a string. */
    public static boolean isName(String value) {
      return NAME.matcher(value).matches();
    }

    /** A value as the language writes it: a name bare, anything else as a string. */
    public static String show(String value) {
      if (isName(value)) {
        return value;
      }
      return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
  }

  /** A list of values of one type; Java type {@code java.util.List}. */
  record ListOf(ValueType element) implements ValueType {
    /** Requires an element type. */
    public ListOf {
      Objects.requireNonNull(element, "element");
    }

    @Override
    public String display() {
      return "list(" + element.display() + ")";
    }
  }

  /** Shorthand for a primitive type. */
  static ValueType of(Kind kind) {
    return new Primitive(kind);
  }
}
