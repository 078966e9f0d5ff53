package org.mirage4j.generator;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/** The Java side of the IPv6 key types (the others are covered by the golden files). */
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
}
