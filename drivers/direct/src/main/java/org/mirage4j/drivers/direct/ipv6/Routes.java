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

  private static final class OnLink {
    final Ipv6Prefix prefix;
    final boolean learnt;
    long validUntil;

    OnLink(Ipv6Prefix prefix, boolean learnt, long validUntil) {
      this.prefix = prefix;
      this.learnt = learnt;
      this.validUntil = validUntil;
    }
  }

  private static final class Router {
    final Ipv6Address address;
    final boolean learnt;
    long validUntil;

    Router(Ipv6Address address, boolean learnt, long validUntil) {
      this.address = address;
      this.learnt = learnt;
      this.validUntil = validUntil;
    }
  }

  private final List<OnLink> prefixes = new ArrayList<>();
  private final List<Router> routers = new ArrayList<>();

  /** A prefix that is on-link for good (link-local, static). */
  public void addStaticPrefix(Ipv6Prefix p) {
    prefixes.add(new OnLink(new Ipv6Prefix(p.network(), p.length()), false, Long.MAX_VALUE));
  }

  /** A default router for good (static). */
  public void addStaticRouter(Ipv6Address r) {
    routers.add(new Router(r, false, Long.MAX_VALUE));
  }

  /**
   * A prefix information option with the on-link flag (RFC 4861 6.3.4): adds or refreshes the
   * prefix, or removes it when its valid lifetime is zero.
   */
  public void onLink(Ipv6Prefix p, long validUntil, long now) {
    Ipv6Prefix net = new Ipv6Prefix(p.network(), p.length());
    for (Iterator<OnLink> it = prefixes.iterator(); it.hasNext(); ) {
      OnLink o = it.next();
      if (o.prefix.equals(net)) {
        if (!o.learnt) {
          return;
        }
        if (validUntil <= now) {
          it.remove();
        } else {
          o.validUntil = validUntil;
        }
        return;
      }
    }
    if (validUntil > now && learntPrefixes() < MAX_PREFIXES) {
      prefixes.add(new OnLink(net, true, validUntil));
    }
  }

  /** A router advertisement's router lifetime (RFC 4861 6.3.4); zero removes the router. */
  public void router(Ipv6Address r, long validUntil, long now) {
    for (Iterator<Router> it = routers.iterator(); it.hasNext(); ) {
      Router o = it.next();
      if (o.address.equals(r)) {
        if (!o.learnt) {
          return;
        }
        if (validUntil <= now) {
          it.remove();
        } else {
          o.validUntil = validUntil;
        }
        return;
      }
    }
    if (validUntil > now && learntRouters() < MAX_ROUTERS) {
      routers.add(new Router(r, true, validUntil));
    }
  }

  /** Whether {@code dst} is on the link. */
  public boolean isOnLink(Ipv6Address dst) {
    if (dst.isLinkLocal() || dst.isMulticast()) {
      return true;
    }
    for (OnLink o : prefixes) {
      if (o.prefix.contains(dst)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The next hop for {@code dst}: itself when on-link, else the first default router (the caller
   * prefers one that is reachable via {@link #routers()}); empty when there is none.
   */
  public Optional<Ipv6Address> nextHop(Ipv6Address dst) {
    if (isOnLink(dst)) {
      return Optional.of(dst);
    }
    return routers.isEmpty() ? Optional.empty() : Optional.of(routers.get(0).address);
  }

  /** The default routers, in the order they were learnt or configured. */
  public List<Ipv6Address> routers() {
    List<Ipv6Address> out = new ArrayList<>();
    for (Router r : routers) {
      out.add(r.address);
    }
    return out;
  }

  /** Drops what expired; returns the next deadline ({@code Long.MAX_VALUE} if none). */
  public long expire(long now) {
    long next = Long.MAX_VALUE;
    for (Iterator<OnLink> it = prefixes.iterator(); it.hasNext(); ) {
      OnLink o = it.next();
      if (o.validUntil <= now) {
        it.remove();
      } else if (o.learnt) {
        next = Math.min(next, o.validUntil);
      }
    }
    for (Iterator<Router> it = routers.iterator(); it.hasNext(); ) {
      Router r = it.next();
      if (r.validUntil <= now) {
        it.remove();
      } else if (r.learnt) {
        next = Math.min(next, r.validUntil);
      }
    }
    return next;
  }

  /** Learnt (not static) prefixes now. */
  public int learntPrefixes() {
    int n = 0;
    for (OnLink o : prefixes) {
      n += o.learnt ? 1 : 0;
    }
    return n;
  }

  /** Learnt (not static) routers now. */
  public int learntRouters() {
    int n = 0;
    for (Router r : routers) {
      n += r.learnt ? 1 : 0;
    }
    return n;
  }
}
