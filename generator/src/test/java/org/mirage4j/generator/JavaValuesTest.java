package org.mirage4j.generator;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/** The Java side of the IPv6 key types and of choice values that are not names (the rest: the golden files). */
class JavaValuesTest {

  @Test
  void ipv6KeysAreIpv6AddressesAndPrefixes() {
    ValueType address = ValueType.of(ValueType.Kind.IPV6_ADDRESS);
    ValueType prefixes = new ValueType.ListOf(ValueType.of(ValueType.Kind.IPV6_PREFIX));
    assertThat(JavaValues.javaType(address).toString()).isEqualTo("org.mirage4j.api.Ipv6Address");
    assertThat(JavaValues.javaType(prefixes).toString())
        .isEqualTo("java.util.List<org.mirage4j.api.Ipv6Prefix>");
    assertThat(JavaValues.literal(new Value.Ipv6AddressValue("2001:db8::1")).toString())
        .isEqualTo("org.mirage4j.api.Ipv6Address.parse(\"2001:db8::1\")");
    assertThat(JavaValues.literal(new Value.ListValue((ValueType.ListOf) prefixes,
        List.of(new Value.Ipv6PrefixValue("fd00::2/64")))).toString())
        .isEqualTo("java.util.List.of(org.mirage4j.api.Ipv6Prefix.parse(\"fd00::2/64\"))");
    assertThat(JavaValues.keyType(prefixes).toString())
        .isEqualTo("org.mirage4j.runtime.KeyType.list(org.mirage4j.runtime.KeyType.IPV6_PREFIX)");
  }

  @Test
  void choiceValuesThatAreNotNamesAreJavaStrings() {
    ValueType.Choice alpn = new ValueType.Choice(List.of("h2", "http/1.1", "a\"b"));
    assertThat(JavaValues.javaType(alpn).toString()).isEqualTo("java.lang.String");
    assertThat(JavaValues.literal(new Value.ChoiceValue(alpn, "http/1.1")).toString()).isEqualTo("\"http/1.1\"");
    // (KeyType.choice(...) in a generated file: the golden files; a lone CodeBlock's toString drops
    // what follows its last $W)
    assertThat(alpn.display()).isEqualTo("choice(h2, \"http/1.1\", \"a\\\"b\")");
  }
}
