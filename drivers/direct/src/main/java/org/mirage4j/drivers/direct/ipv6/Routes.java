package org.mirage4j.drivers.direct.ipv6;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.Ipv6Prefix;

/**
 * Where a datagram goes next (RFC 4861 5.2): the prefix list (on-link prefixes, static or from
 * router advertisements, with their lifetimes) and the default router list. Bounded: at most
 * {@link #MAX_PREFIXES} learnt prefixes and {@link #MAX_ROUTERS} learnt routers. Not
 * thread-safe: the IPv6 layer's lock guards it.
 */
public final class Routes {

  public static final int MAX_PREFIXES = 16;
  public static final int MAX_ROUTERS = 16;

  /** A prefix or a router, static (never expires) or learnt (until {@code validUntil}). */
  private static final class Entry<K> {
    final K key;
    final boolean learnt;
    long validUntil;

    Entry(K key, boolean learnt, long validUntil) {
      this.key = key;
      this.learnt = learnt;
      this.validUntil = validUntil;
    }
  }

  private final List<Entry<Ipv6Prefix>> prefixes = new ArrayList<>();
  private final List<Entry<Ipv6Address>> routers = new ArrayList<>();

  /** A prefix that is on-link for good (link-local, static). */
  public void addStaticPrefix(Ipv6Prefix p) {
    prefixes.add(new Entry<>(new Ipv6Prefix(p.network(), p.length()), false, Long.MAX_VALUE));
  }

  /** A default router for good (static). */
  public void addStaticRouter(Ipv6Address r) {
    routers.add(new Entry<>(r, false, Long.MAX_VALUE));
  }

  /**
   * A prefix information option with the on-link flag (RFC 4861 6.3.4): adds or refreshes the
   * prefix, or removes it when its valid lifetime is zero.
   */
  public void onLink(Ipv6Prefix p, long validUntil, long now) {
    learn(prefixes, new Ipv6Prefix(p.network(), p.length()), validUntil, now, MAX_PREFIXES);
  }

  /** A router advertisement's router lifetime (RFC 4861 6.3.4); zero removes the router. */
  public void router(Ipv6Address r, long validUntil, long now) {
    learn(routers, r, validUntil, now, MAX_ROUTERS);
  }

  /** Adds, refreshes or (lifetime over) removes a learnt entry; static ones stay as they are. */
  private static <K> void learn(List<Entry<K>> list, K key, long validUntil, long now, int max) {
    for (Iterator<Entry<K>> it = list.iterator(); it.hasNext(); ) {
      Entry<K> e = it.next();
      if (e.key.equals(key)) {
        if (e.learnt) {
          if (validUntil <= now) {
            it.remove();
          } else {
            e.validUntil = validUntil;
          }
        }
        return;
      }
    }
    if (validUntil > now && learnt(list) < max) {
      list.add(new Entry<>(key, true, validUntil));
    }
  }

  /** Whether {@code dst} is on the link. */
  public boolean isOnLink(Ipv6Address dst) {
    if (dst.isLinkLocal() || dst.isMulticast()) {
      return true;
    }
    for (Entry<Ipv6Prefix> e : prefixes) {
      if (e.key.contains(dst)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The next hop for {@code dst}: itself when on-link, else the first default router; empty when
   * there is none.
   */
  public Optional<Ipv6Address> nextHop(Ipv6Address dst) {
    if (isOnLink(dst)) {
      return Optional.of(dst);
    }
    return routers.isEmpty() ? Optional.empty() : Optional.of(routers.get(0).key);
  }

  /** The default routers, in the order they were learnt or configured. */
  public List<Ipv6Address> routers() {
    List<Ipv6Address> out = new ArrayList<>();
    for (Entry<Ipv6Address> r : routers) {
      out.add(r.key);
    }
    return out;
  }

  /** Drops what expired; returns the next deadline ({@code Long.MAX_VALUE} if none). */
  public long expire(long now) {
    return Math.min(expire(prefixes, now), expire(routers, now));
  }

  private static <K> long expire(List<Entry<K>> list, long now) {
    long next = Long.MAX_VALUE;
    for (Iterator<Entry<K>> it = list.iterator(); it.hasNext(); ) {
      Entry<K> e = it.next();
      if (e.validUntil <= now) {
        it.remove();
      } else if (e.learnt) {
        next = Math.min(next, e.validUntil);
      }
    }
    return next;
  }

  /** Learnt (not static) prefixes now. */
  public int learntPrefixes() {
    return learnt(prefixes);
  }

  /** Learnt (not static) routers now. */
  public int learntRouters() {
    return learnt(routers);
  }

  private static int learnt(List<? extends Entry<?>> list) {
    int n = 0;
    for (Entry<?> e : list) {
      n += e.learnt ? 1 : 0;
    }
    return n;
  }
}
