package org.mirage4j.dsl.lowering;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/**
 * Parses the text of a configure-time key's value as given by the user ({@code -Dmirage.keys=net=direct}
 * or {@code mirage configure --net=direct}).
 */
public final class KeyValueText {

  private KeyValueText() {}

  /** The value, or the problem: "expected ..., got '...'". */
  public static MirageTypes.Result<Value> parse(ValueType type, String text) {
    String t = text.trim();
    if (type instanceof ValueType.ListOf list) {
      List<Value> values = new ArrayList<>();
      if (!t.isEmpty()) {
        for (String part : t.split(",", -1)) {
          MirageTypes.Result<Value> r = parse(list.element(), part);
          if (r.problem() != null) {
            return r;
          }
          values.add(r.value());
        }
      }
      return MirageTypes.Result.of(new Value.ListValue(list, values));
    }
    if (type instanceof ValueType.Choice choice) {
      if (choice.values().contains(t)) {
        return MirageTypes.Result.of(new Value.ChoiceValue(choice, t));
      }
      return problem("one of " + String.join(", ", choice.values()), text);
    }
    ValueType.Kind kind = ((ValueType.Primitive) type).kind();
    try {
      switch (kind) {
        case INT:
          return MirageTypes.Result.of(new Value.IntValue(Long.parseLong(t)));
        case PORT:
          int port = Integer.parseInt(t);
          if (port < 0 || port > 65535) {
            return problem("a port (0-65535)", text);
          }
          return MirageTypes.Result.of(new Value.PortValue(port));
        case BOOL:
          if (t.equals("true") || t.equals("false")) {
            return MirageTypes.Result.of(new Value.BoolValue(Boolean.parseBoolean(t)));
          }
          return problem("true or false", text);
        case STRING:
          return MirageTypes.Result.of(new Value.StringValue(text));
        case IPV4_ADDRESS:
          if (!t.matches("\\d{1,3}(\\.\\d{1,3}){3}") || MirageTypes.badOctet(t) != null) {
            return problem("an IPv4 address like 10.0.0.1", text);
          }
          return MirageTypes.Result.of(new Value.Ipv4AddressValue(MirageTypes.canonical(t)));
        case IPV4_PREFIX:
          if (!t.matches("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}")) {
            return problem("an IPv4 prefix like 10.0.0.2/24", text);
          }
          String[] parts = t.split("/");
          if (MirageTypes.badOctet(parts[0]) != null || Integer.parseInt(parts[1]) > 32) {
            return problem("an IPv4 prefix like 10.0.0.2/24", text);
          }
          return MirageTypes.Result.of(
              new Value.Ipv4PrefixValue(MirageTypes.canonical(parts[0]) + "/" + Integer.parseInt(parts[1])));
        case DURATION:
          return duration(t, text);
        case IPV6_ADDRESS:
        case IPV6_PREFIX:
          return MirageTypes.ipv6(kind, t);
        default:
          return problem(type.display(), text);
      }
    } catch (NumberFormatException e) {
      return problem(MirageTypes.article(type), text);
    }
  }

  private static MirageTypes.Result<Value> duration(String t, String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(t);
    if (!m.matches()) {
      return problem("a duration like 30s, 500ms, 2m or 1h", text);
    }
    long n = Long.parseLong(m.group(1));
    Duration d;
    switch (m.group(2)) {
      case "ms":
        d = Duration.ofMillis(n);
        break;
      case "s":
        d = Duration.ofSeconds(n);
        break;
      case "m":
        d = Duration.ofMinutes(n);
        break;
      default:
        d = Duration.ofHours(n);
        break;
    }
    return MirageTypes.Result.of(new Value.DurationValue(d));
  }

  private static MirageTypes.Result<Value> problem(String expected, String text) {
    return MirageTypes.Result.problem("expected " + expected + ", got '" + text + "'");
  }
}
