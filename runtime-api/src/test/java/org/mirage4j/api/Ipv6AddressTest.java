package org.mirage4j.api;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class Ipv6AddressTest {

  @Test
  void parsesEveryTextFormOfRfc4291() throws Exception {
    assertThat(Ipv6Address.parse("2001:db8:0:0:0:0:0:1")).isEqualTo(Ipv6Address.parse("2001:db8::1"));
    assertThat(Ipv6Address.parse("2001:0DB8::0001").toString()).isEqualTo("2001:db8::1");
    assertThat(Ipv6Address.parse("::")).isEqualTo(Ipv6Address.UNSPECIFIED);
    assertThat(Ipv6Address.parse("::1")).isEqualTo(Ipv6Address.LOOPBACK);
    assertThat(Ipv6Address.parse("ff02::1")).isEqualTo(Ipv6Address.ALL_NODES);
    assertThat(Ipv6Address.parse("1::")).isEqualTo(new Ipv6Address(1L << 48, 0));
    assertThat(Ipv6Address.parse("::ffff:10.0.0.1")).isEqualTo(new Ipv6Address(0, 0xffff_0a00_0001L));
    assertThat(Ipv6Address.parse("1:2:3:4:5:6:1.2.3.4"))
        .isEqualTo(Ipv6Address.parse("1:2:3:4:5:6:102:304"));
    assertThat(Ipv6Address.parse("::1.2.3.4")).isEqualTo(new Ipv6Address(0, 0x0102_0304L));
    byte[] jdk = InetAddress.getByName("fe80::200:ff:fe00:1").getAddress();
    assertThat(Ipv6Address.parse("fe80::200:ff:fe00:1").octets()).isEqualTo(jdk);
  }

  @Test
  void refusesWhatIsNotAnAddress() {
    for (String bad : new String[] {"", ":", ":::", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
        "12345::", "g::", "1::2:", ":1::", "fe80::1%eth0", "1.2.3.4", "::1.2.3", "::1.2.3.256",
        "1:2:3:4:5:6:7:1.2.3.4", "2001:db8::1/64"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse(bad), bad);
      assertThat(e).hasMessageThat().contains("expected an IPv6 address like 2001:db8::1");
    }
  }

  @Test
  void printsTheCanonicalFormOfRfc5952() {
    assertThat(Ipv6Address.parse("2001:db8:0:0:1:0:0:1").toString()).isEqualTo("2001:db8::1:0:0:1");
    assertThat(Ipv6Address.parse("2001:db8:0:1:1:1:1:1").toString()).isEqualTo("2001:db8:0:1:1:1:1:1");
    assertThat(Ipv6Address.parse("1:0:0:2:0:0:0:3").toString()).isEqualTo("1:0:0:2::3");
    assertThat(Ipv6Address.UNSPECIFIED.toString()).isEqualTo("::");
    assertThat(Ipv6Address.LOOPBACK.toString()).isEqualTo("::1");
    assertThat(Ipv6Address.parse("::ffff:0a00:0001").toString()).isEqualTo("::ffff:10.0.0.1");
    assertThat(Ipv6Address.parse("fe80::").toString()).isEqualTo("fe80::");
  }

  @Test
  void convertsToAndFromTheJdk() throws Exception {
    Ipv6Address a = Ipv6Address.parse("2001:db8::42");
    Inet6Address i = a.toInetAddress();
    assertThat(i.getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:42");
    assertThat(Ipv6Address.of(i)).isEqualTo(a);
    assertThat(IpAddress.of(i)).isEqualTo(a);
    assertThat(IpAddress.of(InetAddress.getByName("10.0.0.1"))).isEqualTo(Ipv4Address.parse("10.0.0.1"));
    // an IPv4-mapped address stays an IPv6 one
    assertThat(Ipv6Address.parse("::ffff:10.0.0.1").toInetAddress()).isInstanceOf(Inet6Address.class);
    assertThat(Ipv4Address.parse("10.0.0.1").toInetAddress()).isInstanceOf(Inet4Address.class);
  }

  @Test
  void classifiesAddresses() {
    assertThat(Ipv6Address.parse("fe80::1").isLinkLocal()).isTrue();
    assertThat(Ipv6Address.parse("febf::1").isLinkLocal()).isTrue();
    assertThat(Ipv6Address.parse("fec0::1").isLinkLocal()).isFalse();
    assertThat(Ipv6Address.parse("ff02::1").isMulticast()).isTrue();
    assertThat(Ipv6Address.parse("2001:db8::1").isMulticast()).isFalse();
    assertThat(Ipv6Address.parse("::").isUnspecified()).isTrue();
    assertThat(Ipv6Address.parse("::ffff:1.2.3.4").isIpv4Mapped()).isTrue();
    assertThat(Ipv6Address.parse("2001:db8::1:2345:6789").solicitedNode())
        .isEqualTo(Ipv6Address.parse("ff02::1:ff45:6789"));
    assertThat(Ipv6Address.parse("2001:db8::ffff:1").group(6)).isEqualTo(0xffff);
  }

  @Test
  void ordersAsUnsignedNumbers() {
    assertThat(Ipv6Address.parse("ff02::1")).isGreaterThan(Ipv6Address.parse("2001:db8::1"));
    assertThat(Ipv6Address.parse("::ffff:ffff")).isGreaterThan(Ipv6Address.parse("::1"));
  }

  @Test
  void prefixesParseAndContain() {
    Ipv6Prefix p = Ipv6Prefix.parse("2001:db8:1:2::5/64");
    assertThat(p.length()).isEqualTo(64);
    assertThat(p.network()).isEqualTo(Ipv6Address.parse("2001:db8:1:2::"));
    assertThat(p.contains(Ipv6Address.parse("2001:db8:1:2:ffff::1"))).isTrue();
    assertThat(p.contains(Ipv6Address.parse("2001:db8:1:3::1"))).isFalse();
    assertThat(p.toString()).isEqualTo("2001:db8:1:2::5/64");
    assertThat(Ipv6Prefix.parse("fe80::1/10").contains(Ipv6Address.parse("febf::"))).isTrue();
    assertThat(Ipv6Prefix.parse("::/0").contains(Ipv6Address.parse("ff02::1"))).isTrue();
    Ipv6Prefix host = Ipv6Prefix.parse("2001:db8::1/128");
    assertThat(host.contains(Ipv6Address.parse("2001:db8::1"))).isTrue();
    assertThat(host.contains(Ipv6Address.parse("2001:db8::2"))).isFalse();
    assertThat(Ipv6Prefix.parse("2001:db8::/96").contains(Ipv6Address.parse("2001:db8::1:2"))).isTrue();
    assertThat(Ipv6Prefix.parse("2001:db8::/96").contains(Ipv6Address.parse("2001:db8::1:0:0"))).isFalse();
    for (String bad : new String[] {"2001:db8::1", "2001:db8::1/129", "2001:db8::1/", "x/64",
        "2001:db8::1/-1", "2001:db8::1/6a"}) {
      assertThrows(IllegalArgumentException.class, () -> Ipv6Prefix.parse(bad), bad);
    }
  }
}
