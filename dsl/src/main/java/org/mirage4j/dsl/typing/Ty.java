package org.mirage4j.dsl.typing;

import java.util.Objects;
import org.mirage4j.dsl.mirage.TypeDecl;
import org.mirage4j.model.ValueType;

/** The type of an expression: a device of a declared type, a value, or unknown (already an error). */
public sealed interface Ty {

  /** How the type reads in a message: {@code 'stack'}, {@code 'ipv4-prefix'}. */
  String display();

  /** A device of a declared type. */
  record Device(TypeDecl decl) implements Ty {
    /** A device of type {@code decl}. */
    public Device {
      Objects.requireNonNull(decl);
    }

    @Override
    public String display() {
      return "'" + decl.getName() + "'";
    }
  }

  /** A value of a key type. */
  record Val(ValueType type) implements Ty {
    /** A value of {@code type}. */
    public Val {
      Objects.requireNonNull(type);
    }

    @Override
    public String display() {
      return "'" + type.display() + "'";
    }
  }

  /** Not known: a problem has been or will be reported elsewhere. */
  record Unknown() implements Ty {
    /** The only instance the type rules return. */
    public static final Unknown INSTANCE = new Unknown();

    @Override
    public String display() {
      return "unknown";
    }
  }
}
