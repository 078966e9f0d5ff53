package org.mirage4j.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A checked constant: a key's default, a configure-time key's value, or a literal argument. Each
 * variant's {@link #display()} is its canonical spelling in the language.
 */
public sealed interface Value {

  /** The value's type. */
  ValueType type();

  /** The canonical spelling in a {@code .mirage} file (and on the command line, unquoted). */
  String display();

  /** An {@code int}. */
  record IntValue(long value) implements Value {
    @Override
    public ValueType type() {
      return ValueType.of(ValueType.Kind.INT);
    }

    @Override
    public String display() {
      return Long.toString(value);
    }
  }

  /** A {@code bool}. */
  record BoolValue(boolean value) implements Value {
    @Override
    public ValueType type() {
      return ValueType.of(ValueType.Kind.BOOL);
    }

    @Override
    public String display() {
      return Boolean.toString(value);
    }
  }

  /** A {@code string}. */
  record StringValue(String value) implements Value {
    /** Requires a value. */
    public StringValue {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
      return ValueType.of(ValueType.Kind.STRING);
    }

    @Override
    public String display() {
      return value;
    }
  }

  /** A {@code port}, 0 to 65535. */
  record PortValue(int value) implements Value {
    /** Checks the range. */
    public PortValue {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("a port is 0 to 65535, not " + value);
      }
    }

    @Override
    public ValueType type() {
      return ValueType.of(ValueType.Kind.PORT);
    }

    @Override
    public String display() {
      return Integer.toString(value);
    }
  }

  /** An {@code ipv4-address}, canonical dotted quad. */
  record Ipv4AddressValue(String value) implements Value {
    /** Requires a value. */
    public Ipv4AddressValue {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
      return ValueType.of(ValueType.Kind.IPV4_ADDRESS);
    }

    @Override
    public String display() {
      return value;
    }
  }

  /** An {@code ipv4-prefix}, canonical {@code a.b.c.d/n}. */
  record Ipv4PrefixValue(String value) implements Value {
    /** Requires a value. */
    public Ipv4PrefixValue {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
      return ValueType.of(ValueType.Kind.IPV4_PREFIX);
    }

    @Override
    public String display() {
      return value;
    }
  }

  /** An {@code ipv6-address}, in the canonical form of RFC 5952. */
  record Ipv6AddressValue(String value) implements Value {
    /** Requires a value. */
    public Ipv6AddressValue {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
      return ValueType.of(ValueType.Kind.IPV6_ADDRESS);
    }

    @Override
    public String display() {
      return value;
    }
  }

  /** An {@code ipv6-prefix}, canonical address (RFC 5952) {@code /n}. */
  record Ipv6PrefixValue(String value) implements Value {
    /** Requires a value. */
    public Ipv6PrefixValue {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
      return ValueType.of(ValueType.Kind.IPV6_PREFIX);
    }

    @Override
    public String display() {
      return value;
    }
  }

  /** A {@code duration}. */
  record DurationValue(Duration value) implements Value {
    /** Requires a value. */
    public DurationValue {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public ValueType type() {
      return ValueType.of(ValueType.Kind.DURATION);
    }

    /** The largest whole unit: {@code 90s}, {@code 500ms}, {@code 2h}. */
    @Override
    public String display() {
      long ms = value.toMillis();
      if (ms % 3_600_000 == 0 && ms != 0) {
        return ms / 3_600_000 + "h";
      }
      if (ms % 60_000 == 0 && ms != 0) {
        return ms / 60_000 + "m";
      }
      if (ms % 1000 == 0) {
        return ms / 1000 + "s";
      }
      return ms + "ms";
    }
  }

  /** One name of a {@code choice(...)}. */
  record ChoiceValue(ValueType.Choice choice, String value) implements Value {
    /** The value must be one of the choice's names. */
    public ChoiceValue {
      Objects.requireNonNull(choice, "choice");
      if (!choice.values().contains(value)) {
        throw new IllegalArgumentException(value + " is not one of " + choice.display());
      }
    }

    @Override
    public ValueType type() {
      return choice;
    }

    @Override
    public String display() {
      return value;
    }
  }

  /** A {@code list(...)}. */
  record ListValue(ValueType.ListOf listType, List<Value> elements) implements Value {
    /** Copies the elements. */
    public ListValue {
      Objects.requireNonNull(listType, "listType");
      elements = List.copyOf(elements);
    }

    @Override
    public ValueType type() {
      return listType;
    }

    /** Comma-separated, as on the command line. */
    @Override
    public String display() {
      return elements.stream().map(Value::display).collect(Collectors.joining(","));
    }
  }
}
