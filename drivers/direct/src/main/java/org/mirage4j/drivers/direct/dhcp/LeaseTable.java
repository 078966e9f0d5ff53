package org.mirage4j.drivers.direct.dhcp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.MacAddress;

/**
 * The DHCP server's address allocation (RFC 2131 4.3.1, 4.3.2), without packets or a clock of its
 * own: the caller passes the time. Addresses come from one range; a client gets back the address it
 * had, else the one it asks for if free, else the next free one. An offer holds its address for
 * {@link #OFFER_HOLD_NANOS}; a binding lasts the lease time unless renewed; a declined address is
 * held back for one lease time. Every map is bounded by the size of the range.
 */
public final class LeaseTable {

  /** How long an offer reserves its address for the client's request. */
  public static final long OFFER_HOLD_NANOS = 30_000_000_000L;
  /** The largest range: 65,536 addresses. */
  public static final int MAX_RANGE = 1 << 16;

  /** An offer or a lease. */
  public static final class Binding {
    public final String client;
    public final MacAddress mac;
    public final Ipv4Address address;
    boolean bound;
    long expiresAt;
    Optional<String> hostname = Optional.empty();

    Binding(String client, MacAddress mac, Ipv4Address address) {
      this.client = client;
      this.mac = mac;
      this.address = address;
    }

    public boolean bound() {
      return bound;
    }

    public long expiresAt() {
      return expiresAt;
    }

    public Optional<String> hostname() {
      return hostname;
    }
  }

  /** What to answer a request with. */
  public enum Answer { ACK, NAK, SILENT }

  /**
   * The answer to a request and, for an ACK, the binding and whether it is new (GRANTED) or an
   * extension (RENEWED).
   */
  public record Decision(Answer answer, Binding binding, boolean renewal) {
    static Decision nak() {
      return new Decision(Answer.NAK, null, false);
    }

    static Decision silent() {
      return new Decision(Answer.SILENT, null, false);
    }
  }

  private final int first;
  private final int size;
  private final Ipv4Address server;
  private final long leaseNanos;
  private final Map<Ipv4Address, Binding> byAddress = new HashMap<>();
  private final Map<String, Binding> byClient = new HashMap<>();
  private final LinkedHashMap<String, Ipv4Address> remembered = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<Ipv4Address, Long> declined = new HashMap<>();
  private int cursor;

  /**
   * @param first the first address of the range
   * @param last the last address of the range (inclusive)
   * @param server the server's own address, never handed out
   * @param leaseNanos the lease time
   */
  public LeaseTable(Ipv4Address first, Ipv4Address last, Ipv4Address server, long leaseNanos) {
    long n = Integer.toUnsignedLong(last.bits()) - Integer.toUnsignedLong(first.bits()) + 1;
    if (n < 1 || n > MAX_RANGE) {
      throw new IllegalArgumentException("a DHCP range holds 1 to " + MAX_RANGE
          + " addresses, from first to last: " + first + " - " + last);
    }
    if (leaseNanos < 1_000_000_000L) {
      throw new IllegalArgumentException("a DHCP lease lasts at least a second");
    }
    this.first = first.bits();
    this.size = (int) n;
    this.server = server;
    this.leaseNanos = leaseNanos;
  }

  /** The lease time. */
  public long leaseNanos() {
    return leaseNanos;
  }

  /** Whether {@code a} is in the range. */
  public boolean inRange(Ipv4Address a) {
    long off = Integer.toUnsignedLong(a.bits()) - Integer.toUnsignedLong(first);
    return off >= 0 && off < size;
  }

  /** The bindings (offers and leases) now, after expiring what ran out. */
  public List<Binding> bindings(long now) {
    expire(now);
    return new ArrayList<>(byAddress.values());
  }

  /** Offers made and leases held, for bounds checks. */
  public int size() {
    return byAddress.size();
  }

  /**
   * A DISCOVER: the address to offer, reserved for the client, or empty when the range is
   * exhausted.
   */
  public Optional<Binding> offer(String client, MacAddress mac, Optional<Ipv4Address> requested,
      long now) {
    expire(now);
    Binding mine = byClient.get(client);
    if (mine != null) {
      if (!mine.bound) {
        mine.expiresAt = now + OFFER_HOLD_NANOS;
      }
      return Optional.of(mine);
    }
    Ipv4Address pick = null;
    if (requested.isPresent() && free(requested.get(), now)) {
      pick = requested.get();
    } else {
      Ipv4Address before = remembered.get(client);
      if (before != null && free(before, now)) {
        pick = before;
      } else {
        pick = nextFree(now);
      }
    }
    if (pick == null) {
      return Optional.empty();
    }
    Binding b = new Binding(client, mac, pick);
    b.expiresAt = now + OFFER_HOLD_NANOS;
    put(b);
    return Optional.of(b);
  }

  /** A REQUEST in the SELECTING state for {@code address}, offered by us. */
  public Decision select(String client, MacAddress mac, Ipv4Address address, long now,
      Optional<String> hostname) {
    expire(now);
    Binding mine = byClient.get(client);
    if (mine != null && mine.address.equals(address)) {
      return bind(mine, now, hostname, mine.bound);
    }
    if (mine == null && free(address, now)) { // no offer seen (or it lapsed): fine if free
      Binding b = new Binding(client, mac, address);
      put(b);
      return bind(b, now, hostname, false);
    }
    return Decision.nak();
  }

  /** The client chose another server: its offer from us is withdrawn. */
  public void withdraw(String client) {
    Binding mine = byClient.get(client);
    if (mine != null && !mine.bound) {
      remove(mine);
    }
  }

  /**
   * A REQUEST in INIT-REBOOT (a client that remembers {@code address}) or, with {@code renewing},
   * in RENEWING/REBINDING (the client's {@code ciaddr}).
   */
  public Decision confirm(String client, MacAddress mac, Ipv4Address address, long now,
      Optional<String> hostname, boolean renewing) {
    expire(now);
    Binding mine = byClient.get(client);
    if (mine != null) {
      if (mine.address.equals(address)) {
        return bind(mine, now, hostname, mine.bound);
      }
      return Decision.nak();
    }
    if (!inRange(address)) {
      return renewing ? Decision.nak() : Decision.silent();
    }
    Ipv4Address before = remembered.get(client);
    if (address.equals(before) && free(address, now)) { // a lease that expired, still free
      Binding b = new Binding(client, mac, address);
      put(b);
      return bind(b, now, hostname, false);
    }
    if (byAddress.containsKey(address)) {
      return Decision.nak(); // someone else's
    }
    // RFC 2131 4.3.2: no record of this client: silent in INIT-REBOOT; a NAK makes a renewing
    // client start over
    return renewing ? Decision.nak() : Decision.silent();
  }

  /** A RELEASE: the client's lease on {@code address} ends. */
  public Optional<Binding> release(String client, Ipv4Address address) {
    Binding mine = byClient.get(client);
    if (mine == null || !mine.address.equals(address) || !mine.bound) {
      return Optional.empty();
    }
    remove(mine);
    return Optional.of(mine);
  }

  /** A DECLINE: another host uses {@code address}; it is held back for one lease time. */
  public Optional<Binding> decline(String client, Ipv4Address address, long now) {
    Binding mine = byClient.get(client);
    if (mine == null || !mine.address.equals(address)) {
      return Optional.empty();
    }
    remove(mine);
    remembered.remove(client);
    if (declined.size() < size) {
      declined.put(address, now + leaseNanos);
    }
    return Optional.of(mine);
  }

  /** Drops what ran out; returns the leases (not offers) that expired. */
  public List<Binding> expire(long now) {
    List<Binding> gone = new ArrayList<>();
    for (Iterator<Binding> it = byAddress.values().iterator(); it.hasNext(); ) {
      Binding b = it.next();
      if (b.expiresAt <= now) {
        it.remove();
        byClient.remove(b.client, b);
        if (b.bound) {
          gone.add(b);
        }
      }
    }
    declined.values().removeIf(until -> until <= now);
    return gone;
  }

  /** When the next offer or lease runs out ({@code Long.MAX_VALUE} if none). */
  public long nextExpiry() {
    long next = Long.MAX_VALUE;
    for (Binding b : byAddress.values()) {
      next = Math.min(next, b.expiresAt);
    }
    return next;
  }

  private Decision bind(Binding b, long now, Optional<String> hostname, boolean wasBound) {
    b.bound = true;
    b.expiresAt = now + leaseNanos;
    if (hostname.isPresent()) {
      b.hostname = hostname;
    }
    remembered.put(b.client, b.address);
    while (remembered.size() > size) {
      Iterator<String> it = remembered.keySet().iterator();
      it.next();
      it.remove();
    }
    return new Decision(Answer.ACK, b, wasBound);
  }

  private boolean free(Ipv4Address a, long now) {
    if (!inRange(a) || a.equals(server)) {
      return false;
    }
    Long until = declined.get(a);
    if (until != null && until > now) {
      return false;
    }
    Binding b = byAddress.get(a);
    return b == null || b.expiresAt <= now;
  }

  private Ipv4Address nextFree(long now) {
    for (int k = 0; k < size; k++) {
      int off = (cursor + k) % size;
      Ipv4Address a = new Ipv4Address(first + off);
      if (free(a, now)) {
        cursor = (off + 1) % size;
        return a;
      }
    }
    return null;
  }

  private void put(Binding b) {
    Binding old = byAddress.put(b.address, b);
    if (old != null) {
      byClient.remove(old.client, old);
    }
    byClient.put(b.client, b);
  }

  private void remove(Binding b) {
    byAddress.remove(b.address, b);
    byClient.remove(b.client, b);
  }
}
