package org.mirage4j.dsl.typing;

import java.util.Objects;
import org.mirage4j.dsl.mirage.TypeDecl;
import org.mirage4j.model.ValueType;

/**
 * The type of an expression: a device of a declared type, a value, or unknown (already an error).
 * (Plain classes rather than records: Xtend code reads these types from source.)
 */
public abstract class Ty {

  private Ty() {}

  /** How the type reads in a message: {@code 'stack'}, {@code 'ipv4-prefix'}. */
  public abstract String display();

  /** A device of a declared type. */
  public static final class Device extends Ty {
    private final TypeDecl decl;

    /** A device of type {@code decl}. */
    public Device(TypeDecl decl) {
      this.decl = Objects.requireNonNull(decl);
    }

    /** The declared type. */
    public TypeDecl decl() {
      return decl;
    }

    @Override
    public String display() {
      return "'" + decl.getName() + "'";
    }
  }

  /** A value of a key type. */
  public static final class Val extends Ty {
    private final ValueType type;

    /** A value of {@code type}. */
    public Val(ValueType type) {
      this.type = Objects.requireNonNull(type);
    }

    /** The value type. */
    public ValueType type() {
      return type;
    }

    @Override
    public String display() {
      return "'" + type.display() + "'";
    }
  }

  /** Not known: a problem has been or will be reported elsewhere. */
  public static final class Unknown extends Ty {
    /** The only instance. */
    public static final Unknown INSTANCE = new Unknown();

    private Unknown() {}

    @Override
    public String display() {
      return "unknown";
    }
  }
}
