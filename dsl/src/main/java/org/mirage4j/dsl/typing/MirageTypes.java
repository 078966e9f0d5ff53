package org.mirage4j.dsl.typing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.common.types.JvmDeclaredType;
import org.eclipse.xtext.common.types.JvmType;
import org.eclipse.xtext.common.types.JvmTypeReference;
import org.mirage4j.dsl.mirage.Arg;
import org.mirage4j.dsl.mirage.BoolLiteral;
import org.mirage4j.dsl.mirage.ChoiceTypeExpr;
import org.mirage4j.dsl.mirage.ChoiceValue;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.DeviceTypeExpr;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.DurationLiteral;
import org.mirage4j.dsl.mirage.Expr;
import org.mirage4j.dsl.mirage.IntLiteral;
import org.mirage4j.dsl.mirage.Ipv4Literal;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.ListExpr;
import org.mirage4j.dsl.mirage.ListTypeExpr;
import org.mirage4j.dsl.mirage.MatchCase;
import org.mirage4j.dsl.mirage.MatchExpr;
import org.mirage4j.dsl.mirage.Named;
import org.mirage4j.dsl.mirage.Param;
import org.mirage4j.dsl.mirage.PrimitiveTypeExpr;
import org.mirage4j.dsl.mirage.RefExpr;
import org.mirage4j.dsl.mirage.StringLiteral;
import org.mirage4j.dsl.mirage.TypeDecl;
import org.mirage4j.dsl.mirage.TypeExpr;
import org.mirage4j.dsl.mirage.ValueTypeExpr;
import org.mirage4j.model.ValueType;

/**
 * The type rules of the language: the type of every expression and what may be passed where.
 * Shared by the checker, the scope provider, lowering and the editor, so that all of them agree.
 * (Turning literals into values is {@link Constants}'; how types read in messages, {@link
 * Phrasing}'s.)
 */
public class MirageTypes {

  /** The model type of a key type expression, or empty while the expression is incomplete. */
  public Optional<ValueType> valueType(ValueTypeExpr expr) {
    if (expr instanceof PrimitiveTypeExpr p) {
      return Optional.of(ValueType.of(kind(p)));
    }
    if (expr instanceof ChoiceTypeExpr c) {
      List<String> values = new ArrayList<>();
      for (ChoiceValue v : c.getValues()) {
        if (v.getName() == null) {
          return Optional.empty();
        }
        values.add(v.getName());
      }
      return values.isEmpty() ? Optional.empty() : Optional.of(new ValueType.Choice(values));
    }
    if (expr instanceof ListTypeExpr l && l.getElement() != null) {
      return valueType(l.getElement()).map(ValueType.ListOf::new);
    }
    return Optional.empty();
  }

  private static ValueType.Kind kind(PrimitiveTypeExpr p) {
    switch (p.getKind()) {
      case INT:
        return ValueType.Kind.INT;
      case BOOL:
        return ValueType.Kind.BOOL;
      case STRING:
        return ValueType.Kind.STRING;
      case PORT:
        return ValueType.Kind.PORT;
      case IPV4_ADDRESS:
        return ValueType.Kind.IPV4_ADDRESS;
      case IPV4_PREFIX:
        return ValueType.Kind.IPV4_PREFIX;
      case DURATION:
        return ValueType.Kind.DURATION;
      case IPV6_ADDRESS:
        return ValueType.Kind.IPV6_ADDRESS;
      case IPV6_PREFIX:
        return ValueType.Kind.IPV6_PREFIX;
      default:
        throw new IllegalStateException("unknown primitive kind " + p.getKind());
    }
  }

  /** The type a parameter's type expression denotes. */
  public Ty typeOf(TypeExpr expr) {
    if (expr instanceof DeviceTypeExpr d) {
      TypeDecl decl = d.getType();
      return decl == null || decl.eIsProxy() ? Ty.Unknown.INSTANCE : new Ty.Device(decl);
    }
    if (expr instanceof ValueTypeExpr v) {
      return valueType(v).<Ty>map(Ty.Val::new).orElse(Ty.Unknown.INSTANCE);
    }
    return Ty.Unknown.INSTANCE;
  }

  /** The type of an expression. */
  public Ty typeOf(Expr expr) {
    return typeOf(expr, new HashSet<>());
  }

  private Ty typeOf(Expr expr, Set<EObject> visiting) {
    if (expr == null) {
      return Ty.Unknown.INSTANCE;
    }
    if (expr instanceof IntLiteral) {
      return new Ty.Val(ValueType.of(ValueType.Kind.INT));
    }
    if (expr instanceof StringLiteral) {
      return new Ty.Val(ValueType.of(ValueType.Kind.STRING));
    }
    if (expr instanceof BoolLiteral) {
      return new Ty.Val(ValueType.of(ValueType.Kind.BOOL));
    }
    if (expr instanceof DurationLiteral) {
      return new Ty.Val(ValueType.of(ValueType.Kind.DURATION));
    }
    if (expr instanceof Ipv4Literal l) {
      return new Ty.Val(
          ValueType.of(
              l.getValue() != null && l.getValue().contains("/")
                  ? ValueType.Kind.IPV4_PREFIX
                  : ValueType.Kind.IPV4_ADDRESS));
    }
    if (expr instanceof ListExpr l) {
      for (Expr e : l.getElements()) {
        Ty t = typeOf(e, visiting);
        if (t instanceof Ty.Val v) {
          return new Ty.Val(new ValueType.ListOf(v.type()));
        }
      }
      return Ty.Unknown.INSTANCE;
    }
    if (expr instanceof MatchExpr m) {
      for (MatchCase c : m.getCases()) {
        Ty t = typeOf(c.getValue(), visiting);
        if (!(t instanceof Ty.Unknown)) {
          return t;
        }
      }
      return typeOf(m.getDefault(), visiting);
    }
    if (expr instanceof RefExpr r) {
      return typeOfNamed(r.getRef(), visiting);
    }
    return Ty.Unknown.INSTANCE;
  }

  /** The type of what a name denotes (for a driver or device function: of its result). */
  public Ty typeOfNamed(Named named) {
    return typeOfNamed(named, new HashSet<>());
  }

  private Ty typeOfNamed(Named named, Set<EObject> visiting) {
    if (named == null || named.eIsProxy()) {
      return Ty.Unknown.INSTANCE;
    }
    if (named instanceof DriverDecl d) {
      return d.getType() == null || d.getType().eIsProxy()
          ? Ty.Unknown.INSTANCE
          : new Ty.Device(d.getType());
    }
    if (named instanceof DeviceDecl d) {
      if (d.getType() != null && !d.getType().eIsProxy()) {
        return new Ty.Device(d.getType());
      }
      if (!visiting.add(d)) {
        return Ty.Unknown.INSTANCE; // a cycle, reported by the validator
      }
      try {
        return typeOf(d.getValue(), visiting);
      } finally {
        visiting.remove(d);
      }
    }
    if (named instanceof KeyDecl k) {
      return k.getType() == null
          ? Ty.Unknown.INSTANCE
          : valueType(k.getType()).<Ty>map(Ty.Val::new).orElse(Ty.Unknown.INSTANCE);
    }
    if (named instanceof Param p) {
      return typeOf(p.getType());
    }
    if (named instanceof ChoiceValue v && v.eContainer() instanceof ChoiceTypeExpr c) {
      return valueType(c).<Ty>map(Ty.Val::new).orElse(Ty.Unknown.INSTANCE);
    }
    return Ty.Unknown.INSTANCE;
  }

  /** The parameters of a driver or device function (empty for anything else). */
  public List<Param> paramsOf(Named callee) {
    if (callee instanceof DriverDecl d) {
      return d.getParams();
    }
    if (callee instanceof DeviceDecl d) {
      return d.getParams();
    }
    return List.of();
  }

  /** The parameter an argument is bound to: by name, or by position before any named argument. */
  public Optional<Param> paramOf(Arg arg) {
    if (!(arg.eContainer() instanceof RefExpr call) || call.getRef() == null || call.getRef().eIsProxy()) {
      return Optional.empty();
    }
    List<Param> params = paramsOf(call.getRef());
    if (arg.getName() != null) {
      return params.stream().filter(p -> arg.getName().equals(p.getName())).findFirst();
    }
    int index = call.getArgs().indexOf(arg);
    return index < params.size() ? Optional.of(params.get(index)) : Optional.empty();
  }

  /**
   * The choice type expected where {@code ref} stands, so that its values can be named bare: in a
   * key's default, a parameter's default, an argument, or an element of a list in one of these.
   */
  public ChoiceTypeExpr expectedChoice(RefExpr ref) {
    EObject child = ref;
    EObject parent = ref.eContainer();
    while (parent instanceof ListExpr || parent instanceof MatchCase || parent instanceof MatchExpr) {
      if (parent instanceof MatchExpr m && child != m.getDefault()) {
        return null;
      }
      child = parent;
      parent = parent.eContainer();
    }
    TypeExpr type = null;
    if (parent instanceof KeyDecl k && child == k.getDefault()) {
      type = k.getType();
    } else if (parent instanceof Param p && child == p.getDefault()) {
      type = p.getType();
    } else if (parent instanceof Arg a) {
      type = paramOf(a).map(Param::getType).orElse(null);
    }
    while (type instanceof ListTypeExpr l) {
      type = l.getElement();
    }
    return type instanceof ChoiceTypeExpr c ? c : null;
  }

  /**
   * Whether a value of type {@code actual} may be passed where {@code expected} is declared. Unknown
   * types are compatible with everything (their problem is reported where it arises). Devices are
   * compatible when their types are the same, or when the Java interface of {@code actual} extends
   * that of {@code expected} ({@code kv_rw} where a {@code kv_ro} is expected).
   */
  public boolean isAssignable(Ty expected, Ty actual) {
    if (expected instanceof Ty.Unknown || actual instanceof Ty.Unknown) {
      return true;
    }
    if (expected instanceof Ty.Device e && actual instanceof Ty.Device a) {
      if (e.decl() == a.decl() || e.decl().getName().equals(a.decl().getName())) {
        return true;
      }
      return javaSubtype(a.decl().getJavaType(), e.decl().getJavaType(), new HashSet<>());
    }
    if (expected instanceof Ty.Val e && actual instanceof Ty.Val a) {
      return valueAssignable(e.type(), a.type());
    }
    return false;
  }

  private static boolean valueAssignable(ValueType expected, ValueType actual) {
    if (expected.equals(actual)) {
      return true;
    }
    if (expected instanceof ValueType.Choice e && actual instanceof ValueType.Choice a) {
      return e.values().containsAll(a.values());
    }
    if (expected instanceof ValueType.ListOf e && actual instanceof ValueType.ListOf a) {
      return valueAssignable(e.element(), a.element());
    }
    return false;
  }

  private static boolean javaSubtype(JvmType sub, JvmType sup, Set<JvmType> seen) {
    if (sub == null || sup == null || sub.eIsProxy() || sup.eIsProxy() || !seen.add(sub)) {
      return false;
    }
    if (sub.getQualifiedName().equals(sup.getQualifiedName())) {
      return true;
    }
    if (sub instanceof JvmDeclaredType d) {
      for (JvmTypeReference s : d.getSuperTypes()) {
        if (javaSubtype(s.getType(), sup, seen)) {
          return true;
        }
      }
    }
    return false;
  }
}
