package org.mirage4j.dsl.tests;

import static com.google.common.truth.Truth.assertThat;
import static org.mirage4j.dsl.tests.Fixtures.check;
import static org.mirage4j.dsl.tests.Fixtures.lower;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mirage4j.dsl.frontend.MirageFrontEnd;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/** The ipv6-address and ipv6-prefix key types: literals written as strings, kept canonical. */
class Ipv6KeysTest {

  @Test
  void ipv6KeysTakeStringLiteralsAndKeepThemCanonical() {
    assertThat(check("good/ipv6_keys.mirage")).isEmpty();
    MirageFrontEnd.Outcome o = lower("good/ipv6_keys.mirage", "unix", Map.of());
    assertThat(Fixtures.strings(o.diagnostics())).isEmpty();
    UnikernelModel m = o.model();
    assertThat(m.runtimeKey("router").orElseThrow().defaultValue())
        .hasValue(new Value.Ipv6AddressValue("fe80::1"));
    ValueType.ListOf prefixes = new ValueType.ListOf(ValueType.of(ValueType.Kind.IPV6_PREFIX));
    assertThat(m.runtimeKey("addresses").orElseThrow().type()).isEqualTo(prefixes);
    assertThat(m.runtimeKey("addresses").orElseThrow().defaultValue()).hasValue(new Value.ListValue(
        prefixes, List.of(new Value.Ipv6PrefixValue("2001:db8::2/64"),
            new Value.Ipv6PrefixValue("fd00::2/64"))));
    assertThat(m.runtimeKey("peer").orElseThrow().required()).isTrue();
    assertThat(m.configureKey("prefix").orElseThrow().value())
        .isEqualTo(new Value.Ipv6PrefixValue("2001:db8:0:0:1::/80"));
  }

  @Test
  void aConfigureTimeIpv6ValueIsParsedAsTheRuntimeWouldParseIt() {
    MirageFrontEnd.Outcome o = lower("good/ipv6_keys.mirage", "unix", Map.of("prefix", "fd00::/8"));
    assertThat(o.model().configureKey("prefix").orElseThrow().value())
        .isEqualTo(new Value.Ipv6PrefixValue("fd00::/8"));
    o = lower("good/ipv6_keys.mirage", "unix", Map.of("prefix", "fd00::"));
    assertThat(Fixtures.strings(o.diagnostics()).toString())
        .contains("expected an IPv6 prefix like 2001:db8::2/64, got 'fd00::'");
  }

  @Test
  void badIpv6DefaultsSayWhatIsExpected() {
    assertThat(check("bad/ipv6_keys.mirage"))
        .containsExactly(
            "ipv6_keys.mirage:3:24: error: the default of key 'a' does not fit: expected an IPv6 address like 2001:db8::1, got '2001:db8::1/64'",
            "ipv6_keys.mirage:4:23: error: the default of key 'b' does not fit: expected an IPv6 prefix like 2001:db8::2/64, got '2001:db8::1'",
            "ipv6_keys.mirage:5:24: error: the default of key 'c' does not fit: expected an IPv6 address like 2001:db8::1, got '10.0.0.1' (an IPv6 address has 8 groups)",
            "ipv6_keys.mirage:6:23: error: the default of key 'd' does not fit: expected an IPv6 prefix like 2001:db8::2/64 (length 0 to 128), got 'fe80::1/129'",
            "ipv6_keys.mirage:7:30: error: the default of key 'e' does not fit: expected an IPv6 address like 2001:db8::1, got '1::2::3' (only one '::' is allowed)",
            "ipv6_keys.mirage:8:24: error: the default of key 'f' does not fit: expected an 'ipv6-address', got 10.0.0.1")
        .inOrder();
  }
}
