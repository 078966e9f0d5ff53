package org.mirage4j.drivers.direct.ipv6;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.Ipv6Prefix;

/**
 * This host's IPv6 addresses (RFC 4862): each with where it came from, its duplicate-address-
 * detection state and, for autoconfigured ones, its lifetimes; and source address selection
 * (RFC 6724, the rules that matter for one interface). Not thread-safe: the IPv6 layer's lock
 * guards it; {@link #snapshot()} is what the receive path reads without the lock.
 */
public final class AddressTable {

  /** Most addresses autoconfigured from router advertisements. */
  public static final int MAX_AUTOCONFIGURED = 16;

  /** Where an address came from. */
  public enum Origin { LINK_LOCAL, STATIC, AUTOCONFIGURED }

  /** RFC 4862 5.5.4, plus what duplicate address detection may find. */
  public enum State { TENTATIVE, PREFERRED, DEPRECATED, DUPLICATE }

  /** One address. */
  public static final class Address {
    public final Ipv6Prefix prefix;
    public final Origin origin;
    public State state = State.TENTATIVE;
    /** Scheduler time when it stops being valid / preferred ({@code Long.MAX_VALUE}: never). */
    public long validUntil = Long.MAX_VALUE;
    public long preferredUntil = Long.MAX_VALUE;

    Address(Ipv6Prefix prefix, Origin origin) {
      this.prefix = prefix;
      this.origin = origin;
    }

    public Ipv6Address address() {
      return prefix.address();
    }

    /** Usable as a source and as a destination (DAD passed, still valid). */
    public boolean assigned() {
      return state == State.PREFERRED || state == State.DEPRECATED;
    }
  }

  private final List<Address> addresses = new ArrayList<>();
  private volatile List<Address> snapshot = List.of();

  /** Adds a tentative address, unless it is there already; returns the entry. */
  public Address add(Ipv6Prefix prefix, Origin origin) {
    Address a = find(prefix.address());
    if (a != null) {
      return a;
    }
    a = new Address(prefix, origin);
    addresses.add(a);
    publish();
    return a;
  }

  /** Forgets an address. */
  public void remove(Address a) {
    addresses.remove(a);
    publish();
  }

  /** Publishes changed states to {@link #snapshot()} (call after changing an entry). */
  public void publish() {
    snapshot = List.copyOf(addresses);
  }

  /** The entry for {@code ip}, in any state, or null. */
  public Address find(Ipv6Address ip) {
    for (Address a : addresses) {
      if (a.address().equals(ip)) {
        return a;
      }
    }
    return null;
  }

  /** Every entry (a copy, safe to read without the lock). */
  public List<Address> snapshot() {
    return snapshot;
  }

  /** How many autoconfigured addresses there are (any state). */
  public int autoconfiguredCount() {
    int n = 0;
    for (Address a : addresses) {
      if (a.origin == Origin.AUTOCONFIGURED) {
        n++;
      }
    }
    return n;
  }

  /** Whether {@code ip} is assigned to this host (the receive path, without the lock). */
  public static boolean isAssigned(List<Address> snapshot, Ipv6Address ip) {
    for (Address a : snapshot) {
      if (a.assigned() && a.address().equals(ip)) {
        return true;
      }
    }
    return false;
  }

  /** The assigned addresses with their prefixes, link-local first, then static, then the rest. */
  public static List<Ipv6Prefix> assigned(List<Address> snapshot) {
    List<Ipv6Prefix> out = new ArrayList<>();
    for (Origin o : Origin.values()) {
      for (Address a : snapshot) {
        if (a.origin == o && a.assigned()) {
          out.add(a.prefix);
        }
      }
    }
    return out;
  }

  /**
   * The source address for {@code destination} (RFC 6724 5, simplified for one interface): a
   * link-local destination (or a link-scope multicast one) gets the link-local address; any other
   * gets a global address, preferred before deprecated, the one sharing the longest prefix with
   * the destination first, static before autoconfigured on a tie. Empty when no assigned address
   * fits.
   */
  public static Optional<Ipv6Address> source(List<Address> snapshot, Ipv6Address destination) {
    boolean linkScope = destination.isLinkLocal()
        || (destination.isMulticast() && (destination.group(0) & 0xf) <= 2);
    Address best = null;
    int bestScore = -1;
    for (Address a : snapshot) {
      if (!a.assigned()) {
        continue;
      }
      boolean ll = a.address().isLinkLocal();
      if (ll != linkScope) {
        continue;
      }
      int score = (a.state == State.PREFERRED ? 1000 : 0) + commonPrefix(a.address(), destination) * 2
          + (a.origin == Origin.STATIC ? 1 : 0);
      if (score > bestScore) {
        best = a;
        bestScore = score;
      }
    }
    return best == null ? Optional.empty() : Optional.of(best.address());
  }

  private static int commonPrefix(Ipv6Address a, Ipv6Address b) {
    long x = a.high() ^ b.high();
    if (x != 0) {
      return Long.numberOfLeadingZeros(x);
    }
    return 64 + Long.numberOfLeadingZeros(a.low() ^ b.low());
  }
}
