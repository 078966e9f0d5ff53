package org.mirage4j.dsl.lowering;

import java.util.Map;
import org.mirage4j.dsl.mirage.Expr;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.Param;
import org.mirage4j.model.Value;

/** What an expression evaluates to for one target: a device node, a constant or a runtime key. */
sealed interface Evaluated {

  /** A device: the node of a driver application. */
  record Device(Node node) implements Evaluated {}

  /**
   * A constant.
   *
   * @param configureKey the configure key it is the value of, or {@code null} for a literal
   */
  record Constant(Value value, String configureKey) implements Evaluated {}

  /**
   * A runtime key, read by the generated program.
   *
   * @param group its group ({@code key@group}, or that of the device function it is read in), or
   *     {@code null}
   */
  record Key(KeyDecl key, String group) implements Evaluated {

    /** {@code interface} or {@code interface@net0}. */
    String text() {
      return key.getName() + (group == null ? "" : "@" + group);
    }

    /** The option of the generated program: {@code --interface}, {@code --net0-interface}. */
    String optionName() {
      String base = key.getName().replace('_', '-');
      return group == null ? base : group.replace('_', '-') + "-" + base;
    }
  }

  /** An argument of a device function, evaluated when (and only if) the body uses it. */
  final class Lazy implements Evaluated {
    final Expr expr;
    final Param param;
    final Map<Param, Evaluated> env;
    /** The caller's group, in which the argument reads its keys. */
    final String group;
    Evaluated value;
    boolean forced;

    Lazy(Expr expr, Param param, Map<Param, Evaluated> env, String group) {
      this.expr = expr;
      this.param = param;
      this.env = env;
      this.group = group;
    }
  }
}
