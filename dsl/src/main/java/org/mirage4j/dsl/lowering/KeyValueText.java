package org.mirage4j.dsl.lowering;

import java.util.ArrayList;
import java.util.List;
import org.mirage4j.dsl.typing.Constants;
import org.mirage4j.dsl.typing.Parsed;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;
import org.mirage4j.runtime.KeyType;

/**
 * Parses the text of a configure-time key's value as given by the user ({@code -Dmirage.keys=net=direct}
 * or {@code mirage configure --net=direct}).
 */
public final class KeyValueText {

  private KeyValueText() {}

  /** The value, or the problem: "expected ..., got '...'". */
  public static Parsed<Value> parse(ValueType type, String text) {
    String t = text.trim();
    if (type instanceof ValueType.ListOf list) {
      List<Value> values = new ArrayList<>();
      if (!t.isEmpty()) {
        for (String part : t.split(",", -1)) {
          Parsed<Value> r = parse(list.element(), part);
          if (r.problem() != null) {
            return r;
          }
          values.add(r.value());
        }
      }
      return Parsed.of(new Value.ListValue(list, values));
    }
    if (type instanceof ValueType.Choice choice) {
      if (choice.values().contains(t)) {
        return Parsed.of(new Value.ChoiceValue(choice, t));
      }
      return problem("one of " + String.join(", ", choice.values()), text);
    }
    ValueType.Kind kind = ((ValueType.Primitive) type).kind();
    // the generated program's own parsers (runtime-api's KeyType): a value is accepted at configure
    // time exactly when the program would accept it as an option, with the same message
    try {
      switch (kind) {
        case INT:
          return Parsed.of(new Value.IntValue(KeyType.INT.parse(t)));
        case PORT:
          return Parsed.of(new Value.PortValue(KeyType.PORT.parse(t)));
        case BOOL:
          return Parsed.of(new Value.BoolValue(KeyType.BOOL.parse(t)));
        case STRING:
          return Parsed.of(new Value.StringValue(text));
        case IPV4_ADDRESS:
          return Parsed.of(new Value.Ipv4AddressValue(KeyType.IPV4_ADDRESS.parse(t).toString()));
        case IPV4_PREFIX:
          return Parsed.of(new Value.Ipv4PrefixValue(KeyType.IPV4_PREFIX.parse(t).toString()));
        case DURATION:
          return Parsed.of(new Value.DurationValue(KeyType.DURATION.parse(t)));
        case IPV6_ADDRESS:
        case IPV6_PREFIX:
          return Constants.ipv6(kind, t);
        default:
          return problem(type.display(), text);
      }
    } catch (IllegalArgumentException e) {
      return Parsed.problem(e.getMessage());
    }
  }

  private static Parsed<Value> problem(String expected, String text) {
    return Parsed.problem("expected " + expected + ", got '" + text + "'");
  }
}
