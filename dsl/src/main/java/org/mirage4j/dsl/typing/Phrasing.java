package org.mirage4j.dsl.typing;

import com.google.inject.Inject;
import org.mirage4j.dsl.mirage.BoolLiteral;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.DurationLiteral;
import org.mirage4j.dsl.mirage.Expr;
import org.mirage4j.dsl.mirage.IntLiteral;
import org.mirage4j.dsl.mirage.Ipv4Literal;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.KeyStage;
import org.mirage4j.dsl.mirage.ListExpr;
import org.mirage4j.dsl.mirage.MatchExpr;
import org.mirage4j.dsl.mirage.Named;
import org.mirage4j.dsl.mirage.Param;
import org.mirage4j.dsl.mirage.RefExpr;
import org.mirage4j.dsl.mirage.StringLiteral;
import org.mirage4j.model.ValueType;

/**
 * How types, expressions and names read in the language's messages: {@code an 'int'}, {@code the
 * integer 42}, {@code device 'net' of type 'network'}, {@code configure key}.
 */
public class Phrasing {

  private final MirageTypes types;

  /** Phrasing that names an expression's type by the language's type rules. */
  @Inject
  public Phrasing(MirageTypes types) {
    this.types = types;
  }

  /**
   * A choice value or match label in a message: a name in single quotes ({@code 'h2'}), another
   * value as the string it is written as ({@code "http/1.1"}).
   */
  public static String choiceValue(String value) {
    String shown = ValueType.Choice.show(value);
    return shown.startsWith("\"") ? shown : "'" + shown + "'";
  }

  /** {@code an 'int'}, {@code a 'port'}. */
  public static String article(ValueType type) {
    String name = type.display();
    return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an '" : "a '") + name + "'";
  }

  /** How an expression reads in a message. */
  public String describe(Expr expr) {
    if (expr instanceof IntLiteral i) {
      return "the integer " + i.getValue();
    }
    if (expr instanceof StringLiteral s) {
      return "the string \"" + s.getValue() + "\"";
    }
    if (expr instanceof BoolLiteral b) {
      return b.isValue() ? "true" : "false";
    }
    if (expr instanceof Ipv4Literal l) {
      return l.getValue();
    }
    if (expr instanceof DurationLiteral d) {
      return "the duration " + d.getValue();
    }
    if (expr instanceof ListExpr) {
      return "a list";
    }
    if (expr instanceof MatchExpr) {
      return "a match";
    }
    if (expr instanceof RefExpr r && r.getRef() != null && !r.getRef().eIsProxy()) {
      Named n = r.getRef();
      String what = kindOf(n);
      Ty t = types.typeOfNamed(n);
      return what + " '" + n.getName() + "'" + (t instanceof Ty.Unknown ? "" : " of type " + t.display());
    }
    return "an expression";
  }

  /** {@code key}, {@code device}, {@code driver}, ... */
  public static String kindOf(Named n) {
    if (n instanceof KeyDecl k) {
      return k.getStage() == KeyStage.CONFIGURE ? "configure key" : "key";
    }
    if (n instanceof DeviceDecl d) {
      return d.getParams().isEmpty() ? "device" : "device function";
    }
    if (n instanceof DriverDecl) {
      return "driver";
    }
    if (n instanceof Param) {
      return "parameter";
    }
    return "value";
  }
}
