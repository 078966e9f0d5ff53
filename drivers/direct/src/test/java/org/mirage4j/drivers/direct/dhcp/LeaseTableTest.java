package org.mirage4j.drivers.direct.dhcp;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.MacAddress;
import org.mirage4j.drivers.direct.dhcp.LeaseTable.Answer;

/** The DHCP server's allocation without packets: the caller's clock in nanoseconds. */
class LeaseTableTest {

  static final long S = 1_000_000_000L;
  static final long LEASE = 100 * S;
  static final Ipv4Address SERVER = Ipv4Address.parse("10.0.0.1");

  static LeaseTable table(String first, String last) {
    return new LeaseTable(Ipv4Address.parse(first), Ipv4Address.parse(last), SERVER, LEASE);
  }

  static MacAddress mac(int i) {
    return new MacAddress(0x020000000000L + i);
  }

  static Ipv4Address ip(String s) {
    return Ipv4Address.parse(s);
  }

  @Test
  void offersComeFromTheRangeAndAClientKeepsItsOffer() {
    LeaseTable t = table("10.0.0.10", "10.0.0.12");
    Ipv4Address a = t.offer("a", mac(1), Optional.empty(), 0).orElseThrow().address;
    assertThat(a).isEqualTo(ip("10.0.0.10"));
    assertThat(t.offer("a", mac(1), Optional.empty(), 5 * S).orElseThrow().address).isEqualTo(a);
    assertThat(t.offer("b", mac(2), Optional.empty(), 5 * S).orElseThrow().address)
        .isEqualTo(ip("10.0.0.11"));
  }

  @Test
  void aRequestedFreeAddressIsOfferedAndTheServersNever() {
    LeaseTable t = table("10.0.0.1", "10.0.0.5");
    assertThat(t.offer("a", mac(1), Optional.of(ip("10.0.0.4")), 0).orElseThrow().address)
        .isEqualTo(ip("10.0.0.4"));
    // the server's own address and one outside the range are not given
    assertThat(t.offer("b", mac(2), Optional.of(SERVER), 0).orElseThrow().address)
        .isEqualTo(ip("10.0.0.2"));
    assertThat(t.offer("c", mac(3), Optional.of(ip("10.0.0.99")), 0).orElseThrow().address)
        .isEqualTo(ip("10.0.0.3"));
  }

  @Test
  void anExhaustedRangeOffersNothingUntilAnOfferLapses() {
    LeaseTable t = table("10.0.0.10", "10.0.0.11");
    t.offer("a", mac(1), Optional.empty(), 0).orElseThrow();
    t.offer("b", mac(2), Optional.empty(), 0).orElseThrow();
    assertThat(t.offer("c", mac(3), Optional.empty(), S)).isEmpty();
    long later = LeaseTable.OFFER_HOLD_NANOS + 1;
    assertThat(t.offer("c", mac(3), Optional.empty(), later)).isPresent();
  }

  @Test
  void selectingBindsTheOfferAndATakenAddressIsRefused() {
    LeaseTable t = table("10.0.0.10", "10.0.0.20");
    Ipv4Address a = t.offer("a", mac(1), Optional.empty(), 0).orElseThrow().address;
    LeaseTable.Decision d = t.select("a", mac(1), a, S, Optional.of("alpha"));
    assertThat(d.answer()).isEqualTo(Answer.ACK);
    assertThat(d.renewal()).isFalse();
    assertThat(d.binding().bound()).isTrue();
    assertThat(d.binding().expiresAt()).isEqualTo(S + LEASE);
    assertThat(d.binding().hostname()).hasValue("alpha");
    assertThat(t.select("b", mac(2), a, S, Optional.empty()).answer()).isEqualTo(Answer.NAK);
    // a client that asks without an offer gets a free address
    assertThat(t.select("c", mac(3), ip("10.0.0.15"), S, Optional.empty()).answer())
        .isEqualTo(Answer.ACK);
  }

  @Test
  void renewalExtendsAndAnUnrenewedLeaseExpires() {
    LeaseTable t = table("10.0.0.10", "10.0.0.20");
    Ipv4Address a = t.offer("a", mac(1), Optional.empty(), 0).orElseThrow().address;
    t.select("a", mac(1), a, 0, Optional.empty());
    LeaseTable.Decision r = t.confirm("a", mac(1), a, 50 * S, Optional.empty(), true);
    assertThat(r.answer()).isEqualTo(Answer.ACK);
    assertThat(r.renewal()).isTrue();
    assertThat(r.binding().expiresAt()).isEqualTo(150 * S);
    assertThat(t.expire(149 * S)).isEmpty();
    assertThat(t.expire(150 * S)).hasSize(1);
    assertThat(t.bindings(151 * S)).isEmpty();
    assertThat(t.nextExpiry()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void initRebootIsSilentWithoutARecordAndRefusedOffTheRange() {
    LeaseTable t = table("10.0.0.10", "10.0.0.20");
    assertThat(t.confirm("a", mac(1), ip("10.0.0.12"), 0, Optional.empty(), false).answer())
        .isEqualTo(Answer.SILENT);
    assertThat(t.confirm("a", mac(1), ip("192.168.1.5"), 0, Optional.empty(), false).answer())
        .isEqualTo(Answer.SILENT);
    assertThat(t.confirm("a", mac(1), ip("192.168.1.5"), 0, Optional.empty(), true).answer())
        .isEqualTo(Answer.NAK);
    Ipv4Address a = t.offer("a", mac(1), Optional.empty(), 0).orElseThrow().address;
    t.select("a", mac(1), a, 0, Optional.empty());
    assertThat(t.confirm("a", mac(1), a, S, Optional.empty(), false).answer()).isEqualTo(Answer.ACK);
    assertThat(t.confirm("b", mac(2), a, S, Optional.empty(), false).answer()).isEqualTo(Answer.NAK);
  }

  @Test
  void aReturningClientGetsItsFormerAddressBack() {
    LeaseTable t = table("10.0.0.10", "10.0.0.20");
    t.offer("x", mac(9), Optional.empty(), 0); // 10.0.0.10
    Ipv4Address a = t.offer("a", mac(1), Optional.empty(), 0).orElseThrow().address;
    t.select("a", mac(1), a, 0, Optional.empty());
    t.expire(LEASE + 1);
    // expired, still free: the client's own address, at discovery and at init-reboot
    assertThat(t.offer("a", mac(1), Optional.empty(), LEASE + 2).orElseThrow().address).isEqualTo(a);
    t.withdraw("a");
    assertThat(t.confirm("a", mac(1), a, LEASE + 3, Optional.empty(), false).answer())
        .isEqualTo(Answer.ACK);
  }

  @Test
  void releaseFreesAndDeclineHoldsTheAddressBack() {
    LeaseTable t = table("10.0.0.10", "10.0.0.11");
    Ipv4Address a = t.offer("a", mac(1), Optional.empty(), 0).orElseThrow().address;
    t.select("a", mac(1), a, 0, Optional.empty());
    assertThat(t.release("b", a)).isEmpty(); // only its holder releases it
    assertThat(t.release("a", a)).isPresent();
    assertThat(t.bindings(S)).isEmpty();
    Ipv4Address b = t.offer("b", mac(2), Optional.of(a), S).orElseThrow().address;
    assertThat(b).isEqualTo(a);
    assertThat(t.decline("b", b, S)).isPresent();
    // held back for one lease time: the other address only
    assertThat(t.offer("c", mac(3), Optional.of(a), 2 * S).orElseThrow().address)
        .isEqualTo(ip("10.0.0.11"));
    assertThat(t.offer("d", mac(4), Optional.empty(), 3 * S)).isEmpty();
    assertThat(t.offer("d", mac(4), Optional.empty(), S + LEASE).orElseThrow().address).isEqualTo(a);
  }

  @Test
  void aFloodOfClientsHoldsNoMoreThanTheRange() {
    LeaseTable t = table("10.0.0.10", "10.0.0.19");
    for (int i = 0; i < 10_000; i++) {
      t.offer("c" + i, mac(i), Optional.empty(), i * 1_000_000L);
      assertThat(t.size()).isAtMost(10);
    }
  }

  @Test
  void badRangesAndLeasesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> table("10.0.0.20", "10.0.0.10"));
    assertThrows(IllegalArgumentException.class, () -> table("10.0.0.0", "10.1.0.0"));
    assertThrows(IllegalArgumentException.class,
        () -> new LeaseTable(ip("10.0.0.1"), ip("10.0.0.2"), SERVER, 1000));
  }
}
