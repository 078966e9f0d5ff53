package org.mirage4j.generator;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import java.time.Duration;
import java.util.List;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/**
 * Key values in Java: the Java type of each {@link ValueType} (the conventions' table), Java
 * expressions for {@link Value} constants, and the {@code org.mirage4j.runtime.KeyType} that parses
 * a runtime key.
 */
final class JavaValues {

  static final ClassName IPV4_ADDRESS = ClassName.get("org.mirage4j.api", "Ipv4Address");
  static final ClassName IPV4_PREFIX = ClassName.get("org.mirage4j.api", "Ipv4Prefix");
  static final ClassName IPV6_ADDRESS = ClassName.get("org.mirage4j.api", "Ipv6Address");
  static final ClassName IPV6_PREFIX = ClassName.get("org.mirage4j.api", "Ipv6Prefix");
  static final ClassName DURATION = ClassName.get(Duration.class);
  static final ClassName LIST = ClassName.get(List.class);
  static final ClassName KEY_TYPE = ClassName.get("org.mirage4j.runtime", "KeyType");

  private JavaValues() {}

  /** The Java type of a value: {@code long} for {@code int}, {@code List<Integer>} for lists of ports. */
  static TypeName javaType(ValueType type) {
    if (type instanceof ValueType.Primitive p) {
      switch (p.kind()) {
        case INT:
          return TypeName.LONG;
        case BOOL:
          return TypeName.BOOLEAN;
        case STRING:
          return ClassName.get(String.class);
        case PORT:
          return TypeName.INT;
        case IPV4_ADDRESS:
          return IPV4_ADDRESS;
        case IPV4_PREFIX:
          return IPV4_PREFIX;
        case IPV6_ADDRESS:
          return IPV6_ADDRESS;
        case IPV6_PREFIX:
          return IPV6_PREFIX;
        case DURATION:
          return DURATION;
        default:
          throw new AssertionError(p.kind());
      }
    }
    if (type instanceof ValueType.Choice) {
      return ClassName.get(String.class);
    }
    ValueType.ListOf list = (ValueType.ListOf) type;
    return ParameterizedTypeName.get(LIST, javaType(list.element()).box());
  }

  /** A Java expression for a constant. */
  static CodeBlock literal(Value value) {
    if (value instanceof Value.IntValue v) {
      return CodeBlock.of("$LL", v.value());
    }
    if (value instanceof Value.BoolValue v) {
      return CodeBlock.of("$L", v.value());
    }
    if (value instanceof Value.StringValue v) {
      return CodeBlock.of("$S", v.value());
    }
    if (value instanceof Value.PortValue v) {
      return CodeBlock.of("$L", v.value());
    }
    if (value instanceof Value.Ipv4AddressValue v) {
      return CodeBlock.of("$T.parse($S)", IPV4_ADDRESS, v.value());
    }
    if (value instanceof Value.Ipv4PrefixValue v) {
      return CodeBlock.of("$T.parse($S)", IPV4_PREFIX, v.value());
    }
    if (value instanceof Value.Ipv6AddressValue v) {
      return CodeBlock.of("$T.parse($S)", IPV6_ADDRESS, v.value());
    }
    if (value instanceof Value.Ipv6PrefixValue v) {
      return CodeBlock.of("$T.parse($S)", IPV6_PREFIX, v.value());
    }
    if (value instanceof Value.DurationValue v) {
      return duration(v.value());
    }
    if (value instanceof Value.ChoiceValue v) {
      return CodeBlock.of("$S", v.value());
    }
    Value.ListValue list = (Value.ListValue) value;
    CodeBlock.Builder b = CodeBlock.builder().add("$T.of(", LIST);
    for (int i = 0; i < list.elements().size(); i++) {
      b.add(i == 0 ? "$L" : ",$W$L", literal(list.elements().get(i)));
    }
    return b.add(")").build();
  }

  private static CodeBlock duration(Duration d) {
    if (d.isZero()) {
      return CodeBlock.of("$T.ZERO", DURATION);
    }
    if (d.getNano() % 1_000_000 != 0 || d.isNegative()) {
      return CodeBlock.of("$T.ofSeconds($LL, $LL)", DURATION, d.getSeconds(), d.getNano());
    }
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return CodeBlock.of("$T.ofHours($LL)", DURATION, ms / 3_600_000);
    }
    if (ms % 60_000 == 0) {
      return CodeBlock.of("$T.ofMinutes($LL)", DURATION, ms / 60_000);
    }
    if (ms % 1000 == 0) {
      return CodeBlock.of("$T.ofSeconds($LL)", DURATION, ms / 1000);
    }
    return CodeBlock.of("$T.ofMillis($LL)", DURATION, ms);
  }

  /** The {@code KeyType} expression that parses a runtime key: {@code KeyType.list(KeyType.PORT)}. */
  static CodeBlock keyType(ValueType type) {
    if (type instanceof ValueType.Primitive p) {
      return CodeBlock.of("$T.$L", KEY_TYPE, p.kind().name());
    }
    if (type instanceof ValueType.Choice c) {
      CodeBlock.Builder b = CodeBlock.builder().add("$T.choice(", KEY_TYPE);
      for (int i = 0; i < c.values().size(); i++) {
        b.add(i == 0 ? "$S" : ",$W$S", c.values().get(i));
      }
      return b.add(")").build();
    }
    return CodeBlock.of("$T.list($L)", KEY_TYPE, keyType(((ValueType.ListOf) type).element()));
  }

  /** Whether a value fits a type (element by element for lists). */
  static boolean fits(Value value, ValueType type) {
    if (value instanceof Value.ListValue list) {
      return type instanceof ValueType.ListOf l
          && list.listType().equals(l)
          && list.elements().stream().allMatch(e -> fits(e, l.element()));
    }
    return value.type().equals(type);
  }
}
