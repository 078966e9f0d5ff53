package org.mirage4j.dsl.typing;

import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.Ipv6Prefix;
import org.mirage4j.api.ValueSyntax;
import org.mirage4j.dsl.mirage.BoolLiteral;
import org.mirage4j.dsl.mirage.ChoiceValue;
import org.mirage4j.dsl.mirage.DurationLiteral;
import org.mirage4j.dsl.mirage.Expr;
import org.mirage4j.dsl.mirage.IntLiteral;
import org.mirage4j.dsl.mirage.Ipv4Literal;
import org.mirage4j.dsl.mirage.ListExpr;
import org.mirage4j.dsl.mirage.RefExpr;
import org.mirage4j.dsl.mirage.StringLiteral;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/**
 * The language's constants: a literal (or a list of them, or a choice's value) checked against the
 * type expected where it stands and converted into a {@link Value}. How {@code int}, {@code bool},
 * {@code port}, {@code duration} and the addresses are written is {@link ValueSyntax}'s and the
 * address types' own, as for the generated program's options.
 */
public class Constants {

  private final Phrasing phrasing;

  /** Constants whose problems describe expressions with the language's type rules. */
  @Inject
  public Constants(MirageTypes types) {
    this.phrasing = new Phrasing(types);
  }

  /**
   * Checks a literal against the type expected where it stands and converts it.
   *
   * @return the value, or a {@link Problem} that says what was expected
   */
  public Parsed<Value> of(Expr expr, ValueType expected) {
    if (expected instanceof ValueType.ListOf list) {
      if (!(expr instanceof ListExpr l)) {
        return Parsed.problem(
            "expected a list like [a, b] of " + list.element().display() + ", got " + phrasing.describe(expr));
      }
      List<Value> values = new ArrayList<>();
      for (Expr e : l.getElements()) {
        Parsed<Value> r = of(e, list.element());
        if (r.problem() != null) {
          return r;
        }
        values.add(r.value());
      }
      return Parsed.of(new Value.ListValue(list, values));
    }
    if (expected instanceof ValueType.Choice choice) {
      // a value by its name, or by its string (choice(h2, "http/1.1") takes h2, "h2" and "http/1.1")
      String written =
          expr instanceof RefExpr r && r.getRef() instanceof ChoiceValue v && !r.isCall() ? v.getName()
              : expr instanceof StringLiteral s ? s.getValue()
              : null;
      if (written != null && choice.values().contains(written)) {
        return Parsed.of(new Value.ChoiceValue(choice, written));
      }
      return Parsed.problem("expected one of " + choice.shown() + ", got " + phrasing.describe(expr));
    }
    ValueType.Kind kind = ((ValueType.Primitive) expected).kind();
    switch (kind) {
      case INT:
        if (expr instanceof IntLiteral i) {
          try {
            return Parsed.of(new Value.IntValue(Long.parseLong(i.getValue())));
          } catch (NumberFormatException e) {
            return Parsed.problem("integer " + i.getValue() + " is out of range (64-bit)");
          }
        }
        break;
      case PORT:
        if (expr instanceof IntLiteral i) {
          long v;
          try {
            v = Long.parseLong(i.getValue());
          } catch (NumberFormatException e) {
            v = -1;
          }
          if (v < 0 || v > 65535) {
            return Parsed.problem("a port is 0 to 65535, not " + i.getValue());
          }
          return Parsed.of(new Value.PortValue((int) v));
        }
        break;
      case BOOL:
        if (expr instanceof BoolLiteral b) {
          return Parsed.of(new Value.BoolValue(b.isValue()));
        }
        break;
      case STRING:
        if (expr instanceof StringLiteral s) {
          return Parsed.of(new Value.StringValue(s.getValue()));
        }
        break;
      case IPV4_ADDRESS:
        if (expr instanceof Ipv4Literal l) {
          if (l.getValue().contains("/")) {
            return Parsed.problem(
                "expected an ipv4-address like 10.0.0.1, got the prefix " + l.getValue() + "; remove '/"
                    + l.getValue().substring(l.getValue().indexOf('/') + 1) + "'");
          }
          String bad = badOctet(l.getValue());
          return bad != null ? Parsed.problem(bad) : Parsed.of(new Value.Ipv4AddressValue(canonical(l.getValue())));
        }
        break;
      case IPV4_PREFIX:
        if (expr instanceof Ipv4Literal l) {
          String text = l.getValue();
          int slash = text.indexOf('/');
          if (slash < 0) {
            return Parsed.problem("expected an ipv4-prefix like 10.0.0.2/24, got " + text + "; add the prefix length");
          }
          String bad = badOctet(text.substring(0, slash));
          if (bad != null) {
            return Parsed.problem(bad);
          }
          String len = text.substring(slash + 1);
          if (len.length() > 2 || Integer.parseInt(len) > 32) {
            return Parsed.problem("a prefix length is 0 to 32, not " + len);
          }
          return Parsed.of(
              new Value.Ipv4PrefixValue(canonical(text.substring(0, slash)) + "/" + Integer.parseInt(len)));
        }
        break;
      case DURATION:
        if (expr instanceof DurationLiteral d) {
          return duration(d.getValue());
        }
        break;
      case IPV6_ADDRESS:
      case IPV6_PREFIX:
        // IPv6 literals are written as strings ("2001:db8::1"): their colons are the language's
        if (expr instanceof StringLiteral s) {
          return ipv6(kind, s.getValue());
        }
        break;
      default:
        break;
    }
    return Parsed.problem("expected " + Phrasing.article(expected) + ", got " + phrasing.describe(expr));
  }

  /** An {@code ipv6-address} or {@code ipv6-prefix} from its text, in canonical form. */
  public static Parsed<Value> ipv6(ValueType.Kind kind, String text) {
    try {
      if (kind == ValueType.Kind.IPV6_ADDRESS) {
        return Parsed.of(new Value.Ipv6AddressValue(Ipv6Address.parse(text).toString()));
      }
      return Parsed.of(new Value.Ipv6PrefixValue(Ipv6Prefix.parse(text).toString()));
    } catch (IllegalArgumentException e) {
      return Parsed.problem(e.getMessage());
    }
  }

  private static Parsed<Value> duration(String text) {
    try {
      return Parsed.of(new Value.DurationValue(ValueSyntax.parseDuration(text)));
    } catch (IllegalArgumentException e) {
      return Parsed.problem(e.getMessage());
    }
  }

  /** The problem with a dotted quad's octets (one over 255), or {@code null}. */
  private static String badOctet(String dotted) {
    for (String part : dotted.split("\\.")) {
      if (part.length() > 3 || Integer.parseInt(part) > 255) {
        return "IPv4 address " + dotted + " has an octet over 255 (" + part + ")";
      }
    }
    return null;
  }

  /** A dotted quad without leading zeros. */
  private static String canonical(String dotted) {
    return Ipv4Address.parse(dotted).toString();
  }
}
