package org.mirage4j.dsl.check;

import static org.mirage4j.dsl.check.IssueCodes.BAD_ARGUMENT;
import static org.mirage4j.dsl.check.Problems.text;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.ARG__NAME;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.NAMED__NAME;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.REF_EXPR__GROUP;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.REF_EXPR__REF;

import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.mirage4j.dsl.linking.DidYouMean;
import org.mirage4j.dsl.mirage.Arg;
import org.mirage4j.dsl.mirage.ChoiceValue;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.Expr;
import org.mirage4j.dsl.mirage.HostResource;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.KeyStage;
import org.mirage4j.dsl.mirage.ListExpr;
import org.mirage4j.dsl.mirage.Literal;
import org.mirage4j.dsl.mirage.MatchCase;
import org.mirage4j.dsl.mirage.MatchExpr;
import org.mirage4j.dsl.mirage.Named;
import org.mirage4j.dsl.mirage.Param;
import org.mirage4j.dsl.mirage.RefExpr;
import org.mirage4j.dsl.typing.Constants;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.dsl.typing.Parsed;
import org.mirage4j.dsl.typing.Phrasing;
import org.mirage4j.dsl.typing.Ty;
import org.mirage4j.model.ValueType;

/**
 * The type checker proper: a key's default and a parameter's default fit their types, a driver or
 * device function gets the arguments its parameters ask for (count, names, and each one's type), a
 * device's value is the device it is declared as, the branches of a match have one type, a host
 * resource is named by a string. The rules themselves (what may be passed where) are {@link
 * MirageTypes}'; this class says, in the user's terms, where they are broken.
 */
public class TypeChecker {

  private final MirageTypes types;
  private final Constants constants;
  private final Phrasing phrasing;

  /** A checker over the language's type rules. */
  @Inject
  public TypeChecker(MirageTypes types, Constants constants, Phrasing phrasing) {
    this.types = types;
    this.constants = constants;
    this.phrasing = phrasing;
  }

  // ------------------------------------------------------------------ keys and defaults

  /**
   * A key's default fits its type; a configure key without one is required, a runtime key without
   * one is a warning.
   *
   * @param type the key's type (complete)
   */
  public void checkKey(KeyDecl key, ValueType type, Problems problems) {
    if (key.getDefault() != null) {
      checkConstant(key.getDefault(), type, "the default of key '" + text(key.getName()) + "' ", problems);
    } else if (!key.isRequired() && key.getStage() == KeyStage.CONFIGURE) {
      problems.error(
          "configure key '" + text(key.getName()) + "' needs a default or 'required': key " + text(key.getName())
              + " : " + type.display() + " = <value> configure",
          key, NAMED__NAME);
    } else if (!key.isRequired() && key.getStage() != KeyStage.CONFIGURE) {
      problems.warning(
          "runtime key '" + text(key.getName()) + "' has no default and is not required; add '= <value>' or 'required' ",
          key, NAMED__NAME);
    }
  }

  /** The defaults of a driver's parameters: constants of the parameter's type; a device has none. */
  public void checkParameterDefaults(DriverDecl d, Problems problems) {
    for (Param p : d.getParams()) {
      if (p.getDefault() != null) {
        Ty t = types.typeOf(p.getType());
        if (t instanceof Ty.Val v) {
          checkConstant(p.getDefault(), v.type(), "the default of parameter '" + text(p.getName()) + "' ", problems);
        } else {
          problems.error("a device parameter cannot have a default", p.getDefault(), null);
        }
      }
    }
  }

  /** Checks that a constant expression fits the type expected where it stands. */
  private void checkConstant(Expr expr, ValueType expected, String what, Problems problems) {
    if (expr instanceof RefExpr ref) {
      Ty actual = types.typeOf(expr);
      if (ref.getRef() instanceof KeyDecl || ref.getRef() instanceof Param) {
        // a key or parameter: checked by type
        if (!types.isAssignable(new Ty.Val(expected), actual)) {
          problems.error(
              what.trim() + " must be " + Phrasing.article(expected) + ", but " + phrasing.describe(expr) + " is not",
              expr, null, BAD_ARGUMENT);
        }
        return;
      }
      if (!(ref.getRef() instanceof ChoiceValue) && !ref.getRef().eIsProxy()) {
        problems.error(
            what.trim() + " must be " + Phrasing.article(expected) + ", not " + phrasing.describe(expr),
            expr, null, BAD_ARGUMENT);
        return;
      }
      if (ref.getRef().eIsProxy()) {
        return;
      }
    }
    if (expr instanceof MatchExpr) {
      problems.error(what.trim() + " must be a constant, not a match", expr, null, BAD_ARGUMENT);
      return;
    }
    Parsed<?> r = constants.of(expr, expected);
    if (r.problem() != null) {
      problems.error(what.trim() + " does not fit: " + r.problem(), expr, null, BAD_ARGUMENT);
    }
  }

  // ------------------------------------------------------------------ applications

  /**
   * A reference: only a runtime key takes a group, a parameter takes no arguments, and a driver or
   * device function is given the arguments it asks for.
   */
  public void checkReference(RefExpr ref, Problems problems) {
    Named target = ref.getRef();
    if (target == null || target.eIsProxy()) {
      return;
    }
    if (ref.getGroup() != null) {
      checkGroup(ref, target, problems);
    }
    if (target instanceof Param && ref.isCall()) {
      problems.error(
          "parameter '" + text(target.getName()) + "' is a value and takes no arguments; remove the parentheses",
          ref, REF_EXPR__REF);
      return;
    }
    if (!(target instanceof DriverDecl || target instanceof DeviceDecl)) {
      return;
    }
    List<Param> params = types.paramsOf(target);
    if (!ref.isCall() && !params.isEmpty()) {
      // a bare driver whose parameters all have defaults
      return;
    }
    checkArguments(ref, target, params, problems);
  }

  /**
   * A group is taken by a key ({@code interface@net0}, {@code kv_ro@data}) and by the application
   * of a device function, whose expansion then reads its keys in that group ({@code
   * kv_ro@certs("tls")}); a driver or a named device has no keys of its own to group.
   */
  private void checkGroup(RefExpr ref, Named target, Problems problems) {
    String name = text(target.getName());
    String group = ref.getGroup();
    if (target instanceof KeyDecl) {
      return;
    }
    if (target instanceof DeviceDecl d && !d.getParams().isEmpty()) {
      return; // without its arguments it is reported as a device function not called
    }
    String fix =
        target instanceof DriverDecl || target instanceof DeviceDecl
            ? "; a group is taken by a key (interface@" + group + ") or a device function's application (kv_ro@"
                + group + "(\"dir\")), so put it on the keys passed to '" + name + "'"
            : "; a group is taken by a key or a device function's application";
    problems.error(
        "'" + name + "' is a " + Phrasing.kindOf(target) + " and cannot be given a group" + fix,
        ref, REF_EXPR__GROUP);
  }

  private void checkArguments(RefExpr ref, Named callee, List<Param> params, Problems problems) {
    // the messages are put together only for a problem: this runs for every call in the file
    java.util.function.Supplier<String> what = () -> (Phrasing.kindOf(callee) + " '" + text(callee.getName()) + "' ").trim();
    Set<Param> bound = new LinkedHashSet<>();
    int position = 0;
    boolean named = false;
    boolean unknownName = false;
    for (Arg arg : ref.getArgs()) {
      Param p = null;
      if (arg.getName() != null) {
        named = true;
        String n = arg.getName();
        p = params.stream().filter(x -> Objects.equals(x.getName(), n)).findFirst().orElse(null);
        if (p == null) {
          unknownName = true;
          List<String> names = names(params);
          problems.error(
              what.get() + " has no parameter '" + n + "'" + DidYouMean.hint(n, names) + " (parameters: "
                  + String.join(", ", names) + ")",
              arg, ARG__NAME, BAD_ARGUMENT);
        } else if (!bound.add(p)) {
          problems.error("parameter '" + text(p.getName()) + "' of " + what.get() + " is given twice", arg, ARG__NAME, BAD_ARGUMENT);
        }
      } else {
        if (named) {
          problems.error(
              "a positional argument cannot follow a named one; name it: "
                  + (position < params.size() ? text(params.get(position).getName()) : "name") + " = ...",
              arg, null, BAD_ARGUMENT);
        }
        if (position < params.size()) {
          p = params.get(position);
          bound.add(p);
        }
        position++;
      }
      if (p != null) {
        checkArgument(arg, p, callee, params.indexOf(p) + 1, problems);
      }
    }
    if (unknownName || SyntaxErrors.within(ref)) {
      return; // the count would only repeat the problem already reported
    }
    if (position > params.size()) {
      problems.error(expects(what.get(), params, ref), ref, null, BAD_ARGUMENT);
    } else {
      List<Param> missing = null;
      for (Param x : params) {
        if (x.getDefault() == null && !bound.contains(x)) {
          if (missing == null) {
            missing = new ArrayList<>();
          }
          missing.add(x);
        }
      }
      if (missing != null) {
        problems.error(expects(what.get(), params, ref) + "; missing: " + String.join(", ", names(missing)), ref, null,
            BAD_ARGUMENT);
      }
    }
  }

  /** {@code driver 'f' expects 2 arguments (a, b), but got 3}. */
  private static String expects(String what, List<Param> params, RefExpr ref) {
    long required = params.stream().filter(x -> x.getDefault() == null).count();
    return what + " expects " + count(params.size(), (int) required) + " (" + String.join(", ", names(params))
        + "), but got " + ref.getArgs().size();
  }

  private static List<String> names(List<Param> params) {
    return params.stream().map(Param::getName).collect(Collectors.toList());
  }

  private static String count(int all, int required) {
    if (all == required) {
      return all + " argument" + (all != 1 ? "s" : "");
    }
    return required + " to " + all + " arguments";
  }

  private void checkArgument(Arg arg, Param p, Named callee, int index, Problems problems) {
    Ty expected = types.typeOf(p.getType());
    Expr value = arg.getValue();
    if (value == null || expected instanceof Ty.Unknown) {
      return;
    }
    // put together only for a problem: this runs for every argument in the file
    java.util.function.Supplier<String> where = () ->
        text(callee.getName()) + " expects " + display(expected) + " as argument " + index + " (" + text(p.getName()) + ")";
    if (value instanceof Literal || value instanceof ListExpr) {
      if (expected instanceof Ty.Val v) {
        Parsed<?> r = constants.of(value, v.type());
        if (r.problem() != null) {
          problems.error(argumentProblem(where.get(), value, r.problem()), value, null, BAD_ARGUMENT);
        }
      } else {
        problems.error(where.get() + ", but " + phrasing.describe(value) + " is a value", value, null, BAD_ARGUMENT);
      }
      return;
    }
    if (value instanceof RefExpr r && r.getRef() instanceof ChoiceValue) {
      if (expected instanceof Ty.Val v) {
        Parsed<?> c = constants.of(value, v.type());
        if (c.problem() != null) {
          problems.error(argumentProblem(where.get(), value, c.problem()), value, null, BAD_ARGUMENT);
        }
      }
      return;
    }
    Ty actual = types.typeOf(value);
    if (!types.isAssignable(expected, actual)) {
      String described =
          value instanceof RefExpr r && !r.getRef().eIsProxy()
              ? text(r.getRef().getName()) + "' is " + article(actual)
              : "the value is " + article(actual);
      problems.error(where.get() + ", but '" + described, value, null, BAD_ARGUMENT);
    }
  }

  /**
   * "f expects a 'string' as argument 1 (dir), but got the integer 42" when the literal is of the
   * wrong kind; "...: a port is 0 to 65535, not 70000" when it is of the right kind but does not fit.
   */
  private static String argumentProblem(String where, Expr value, String problem) {
    int got = problem.indexOf(", got ");
    if (problem.startsWith("expected ") && got > 0 && !(value instanceof ListExpr)) {
      return where + ", but got " + problem.substring(got + ", got ".length());
    }
    return where + ": " + problem;
  }

  /** A job's arguments are positional. */
  public void checkJob(JobDecl job, Problems problems) {
    for (Arg arg : job.getArgs()) {
      if (arg.getName() != null) {
        problems.error("job arguments are positional; remove '" + arg.getName() + " =' ", arg, ARG__NAME);
      }
    }
  }

  // ------------------------------------------------------------------ devices, matches, resources

  /**
   * A device's value is a device (of its declared type, if it has one), and the defaults of a device
   * function's parameters fit their types.
   */
  public void checkDevice(DeviceDecl d, Problems problems) {
    if (d.getValue() == null) {
      return;
    }
    if (d.getType() != null && !d.getType().eIsProxy()) {
      Ty actual = types.typeOf(d.getValue());
      if (actual instanceof Ty.Val || !types.isAssignable(new Ty.Device(d.getType()), actual)) {
        problems.error(
            "device '" + text(d.getName()) + "' is declared as a '" + d.getType().getName() + "' but its value is "
                + article(actual),
            d.getValue(), null, BAD_ARGUMENT);
      }
    } else if (types.typeOf(d.getValue()) instanceof Ty.Val) {
      if (!(d.getValue() instanceof RefExpr r && r.getRef() instanceof Param)) {
        problems.error(
            "device '" + text(d.getName()) + "' must be a device, but its value is "
                + article(types.typeOf(d.getValue())) + "; use a key for values",
            d.getValue(), null, BAD_ARGUMENT);
      }
    }
    for (Param p : d.getParams()) {
      if (p.getDefault() != null && types.typeOf(p.getType()) instanceof Ty.Val v) {
        checkConstant(p.getDefault(), v.type(), "the default of parameter '" + text(p.getName()) + "' ", problems);
      }
    }
  }

  /** Every branch of a match has one type (that of the first, or one it may stand for). */
  public void checkBranches(MatchExpr m, Problems problems) {
    List<Expr> branches = new ArrayList<>();
    for (MatchCase c : m.getCases()) {
      if (c.getValue() != null) {
        branches.add(c.getValue());
      }
    }
    if (m.getDefault() != null) {
      branches.add(m.getDefault());
    }
    Ty first = null;
    for (Expr b : branches) {
      Ty t = types.typeOf(b);
      if (!(t instanceof Ty.Unknown)) {
        if (first == null) {
          first = t;
        } else if (!types.isAssignable(first, t) && !types.isAssignable(t, first)) {
          problems.error(
              "the branches of a match must have one type: this one is " + article(t) + ", the first is "
                  + article(first),
              b, null, BAD_ARGUMENT);
        }
      }
    }
  }

  /** A host resource (a vif, a disk, an embedded directory) is named by a string. */
  public void checkHostResource(HostResource r, Problems problems) {
    Ty t = types.typeOf(r.getValue());
    if (!types.isAssignable(new Ty.Val(ValueType.of(ValueType.Kind.STRING)), t) || r.getValue() instanceof MatchExpr) {
      problems.error("a " + r.getKind().getLiteral() + " is named by a string", r.getValue(), null);
    }
  }

  // ------------------------------------------------------------------ how types read

  /** {@code a 'stack'}, {@code an 'int'}; {@code a value} when unknown. */
  private static String display(Ty t) {
    return phrase(t, "a value");
  }

  /** {@code a 'stack'}, {@code an 'int'}; {@code unknown} when unknown. */
  private static String article(Ty t) {
    return phrase(t, "unknown");
  }

  private static String phrase(Ty t, String unknown) {
    if (t instanceof Ty.Device) {
      return "a " + t.display();
    }
    if (t instanceof Ty.Val v) {
      return Phrasing.article(v.type());
    }
    return unknown;
  }
}
