package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;
import org.mirage4j.api.Ethernet;
import org.mirage4j.api.Ipv6;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.Ipv6Prefix;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.MonotonicClock;
import org.mirage4j.api.RandomSource;
import org.mirage4j.drivers.direct.ip.Echoes;
import org.mirage4j.drivers.direct.ip.Reassembly;
import org.mirage4j.drivers.direct.ipv6.AddressTable;
import org.mirage4j.drivers.direct.ipv6.AddressTable.Address;
import org.mirage4j.drivers.direct.ipv6.AddressTable.Origin;
import org.mirage4j.drivers.direct.ipv6.Icmpv6;
import org.mirage4j.drivers.direct.ipv6.Neighbours;
import org.mirage4j.drivers.direct.ipv6.Routes;
import org.mirage4j.drivers.direct.time.Scheduler;

/**
 * IPv6 (RFC 8200) over the direct stack's Ethernet layer: the {@code ipv6} driver of std.mirage,
 * MirageOS's {@code ipv6}. Inside it are what IPv6 cannot do without: ICMPv6 echo (RFC 4443),
 * neighbour discovery (RFC 4861: address resolution, neighbour unreachability detection, router
 * and prefix discovery) and stateless address autoconfiguration with duplicate address detection
 * (RFC 4862).
 *
 * <p>Addresses: the link-local one (from the MAC, modified EUI-64), the static ones given, and,
 * when router advertisements are accepted, one per advertised /64 prefix with the autonomous flag,
 * each usable once duplicate address detection passed (about a second after {@link #connect()};
 * {@link #connect()} itself does not wait). Routes: the link-local prefix, the static prefixes,
 * advertised on-link prefixes, and default routers (static, or advertised). Extension headers are
 * walked (hop-by-hop and destination options skipped or, for unknown options that ask for it,
 * the datagram discarded; a routing header with segments left discards it); fragments are
 * reassembled within bounds; outgoing datagrams larger than the link MTU are fragmented.
 *
 * <p>Locking: one lock guards the tables; the receive path reads an immutable snapshot of the
 * addresses and never calls the protocol listeners above while holding the lock.
 */
public final class Ipv6Layer implements Ipv6 {

  /** Hop limit of what we send, unless a router advertised another. */
  public static final int DEFAULT_HOP_LIMIT = 64;
  /** The minimum link MTU of IPv6 (RFC 8200 5). */
  public static final int MIN_MTU = 1280;
  /** Most datagrams in reassembly, bytes they hold, and how long one is kept (RFC 8200 4.5). */
  static final int MAX_REASSEMBLIES = 64;
  static final int MAX_REASSEMBLY_BYTES = 1 << 20;
  static final long REASSEMBLY_TIMEOUT_NANOS = Duration.ofSeconds(60).toNanos();
  /** RFC 4861 10. */
  static final long MAX_RTR_SOLICITATION_DELAY_NANOS = Duration.ofSeconds(1).toNanos();
  static final long RTR_SOLICITATION_INTERVAL_NANOS = Duration.ofSeconds(4).toNanos();
  static final int MAX_RTR_SOLICITATIONS = 3;
  /** RFC 4862 5.5.3 (e). */
  static final long TWO_HOURS_NANOS = Duration.ofHours(2).toNanos();

  private static final int HEADER = 40;
  private static final int FRAGMENT_HEADER = 8;

  private final Ethernet ethernet;
  private final Scheduler scheduler;
  private final RandomSource random;
  private final List<Ipv6Prefix> staticAddresses;
  private final List<Ipv6Address> staticRouters;
  private final boolean acceptRouterAdvertisements;
  private final ReentrantLock lock = new ReentrantLock();
  private final AddressTable table = new AddressTable();
  private final Routes routes = new Routes();
  private final Neighbours neighbours;
  private final Reassembly<FragmentKey> reassembly;
  private final AtomicReferenceArray<Listener> listeners = new AtomicReferenceArray<>(256);
  private final int identifier;
  private final Echoes echoes;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final List<Scheduler.Timer> timers = new ArrayList<>();
  private volatile int linkMtu = 1500;
  private volatile int hopLimit = DEFAULT_HOP_LIMIT;
  private volatile boolean connected;
  private volatile boolean closed;
  private MacAddress mac;
  private Scheduler.Timer sweep;
  private long sweepAt = Long.MAX_VALUE;
  private int solicitationsSent;
  private boolean advertisementSeen;

  private record FragmentKey(Ipv6Address src, Ipv6Address dst, int id, int nextHeader) {}

  /**
   * @param ethernet the link
   * @param clock times neighbour discovery, address lifetimes and reassembly
   * @param random chooses delays (RFC 4861 jitter), fragment identifications and echo identifiers
   * @param addresses static addresses with their on-link prefixes (may be empty)
   * @param gateways static default routers (may be empty)
   * @param acceptRouterAdvertisements whether to solicit and take router advertisements: default
   *     routers, on-link prefixes, autoconfigured addresses, MTU, hop limit
   */
  public Ipv6Layer(Ethernet ethernet, MonotonicClock clock, RandomSource random,
      List<Ipv6Prefix> addresses, List<Ipv6Address> gateways, boolean acceptRouterAdvertisements) {
    this.ethernet = ethernet;
    this.scheduler = Scheduler.forClock(clock);
    this.random = random;
    this.staticAddresses = List.copyOf(addresses);
    this.staticRouters = List.copyOf(gateways);
    this.acceptRouterAdvertisements = acceptRouterAdvertisements;
    this.neighbours = new Neighbours(scheduler, this::solicit);
    this.reassembly = new Reassembly<>(scheduler, MAX_REASSEMBLIES, MAX_REASSEMBLY_BYTES,
        REASSEMBLY_TIMEOUT_NANOS, 65535);
    this.identifier = random.nextInt(65536);
    this.echoes = new Echoes(scheduler);
    for (Ipv6Prefix p : staticAddresses) {
      Ipv6Address a = p.address();
      if (a.isMulticast() || a.isUnspecified() || a.isLoopback() || a.isIpv4Mapped()) {
        throw new IllegalArgumentException("not a unicast IPv6 address for this host: " + p);
      }
    }
  }

  /** The scheduler of this layer (the clock's). */
  public Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public void connect() throws IOException {
    mac = ethernet.mac();
    linkMtu = Math.max(MIN_MTU, ethernet.mtu());
    ethernet.joinMulticast(Icmpv6.multicastMac(Ipv6Address.ALL_NODES));
    ethernet.listen(Ethernet.IPV6, (src, dst, payload) -> input(payload));
    lock.lock();
    try {
      connected = true;
      Ipv6Address linkLocal =
          new Ipv6Address(0xfe80L << 48, Icmpv6.interfaceIdentifier(mac));
      routes.addStaticPrefix(Ipv6Prefix.parse("fe80::/64"));
      startDad(table.add(new Ipv6Prefix(linkLocal, 64), Origin.LINK_LOCAL));
      for (Ipv6Prefix p : staticAddresses) {
        if (p.length() < 128) {
          routes.addStaticPrefix(p);
        }
        startDad(table.add(p, Origin.STATIC));
      }
      for (Ipv6Address r : staticRouters) {
        routes.addStaticRouter(r);
      }
      if (acceptRouterAdvertisements) {
        after(randomDelay(MAX_RTR_SOLICITATION_DELAY_NANOS), this::solicitRouters);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      for (Scheduler.Timer t : timers) {
        t.cancel();
      }
      timers.clear();
      if (sweep != null) {
        sweep.cancel();
      }
      neighbours.clear();
      for (Address a : table.snapshot()) {
        ethernet.leaveMulticast(Icmpv6.multicastMac(a.address().solicitedNode()));
      }
    } finally {
      lock.unlock();
    }
    echoes.cancelAll();
  }

  // ---------------------------------------------------------------- the API

  @Override
  public List<Ipv6Prefix> addresses() {
    return AddressTable.assigned(table.snapshot());
  }

  @Override
  public List<Ipv6Address> routers() {
    lock.lock();
    try {
      return routes.routers();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int mtu() {
    return linkMtu - HEADER;
  }

  @Override
  public Optional<Ipv6Address> source(Ipv6Address destination) {
    return AddressTable.source(table.snapshot(), destination);
  }

  @Override
  public void listen(int nextHeader, Listener listener) {
    listeners.set(nextHeader & 0xff, listener);
  }

  @Override
  public void send(Ipv6Address source, Ipv6Address destination, int nextHeader,
      ByteBuffer payload) throws IOException {
    if (!AddressTable.isAssigned(table.snapshot(), source)) {
      throw new IOException("not an address of this host (yet): " + source);
    }
    transmit(source, destination, nextHeader, hopLimit, payload);
  }

  @Override
  public Optional<Duration> ping(Ipv6Address destination, Duration timeout) throws IOException {
    Ipv6Address src = source(destination).orElseThrow(
        () -> new NoRouteToHostException("no IPv6 source address for " + destination));
    return echoes.ping(destination.toString(), timeout, seq -> {
      ByteBuffer data = ByteBuffer.allocate(32);
      for (int i = 0; i < 32; i++) {
        data.put((byte) i);
      }
      data.flip();
      ByteBuffer m = Icmpv6.echo(Icmpv6.ECHO_REQUEST, identifier, seq, data);
      transmit(src, destination, ICMPV6, hopLimit, Icmpv6.seal(m, src, destination));
    });
  }

  // ---------------------------------------------------------------- observability (tests, ops)

  /** Datagrams dropped as malformed or not for us. */
  public long droppedCount() {
    return dropped.get();
  }

  /** Addresses found to be duplicates by duplicate address detection. */
  public long duplicateCount() {
    return duplicates.get();
  }

  /** Neighbour cache entries now (bounded by {@link Neighbours#MAX_ENTRIES}). */
  public int neighbourCount() {
    lock.lock();
    try {
      return neighbours.size();
    } finally {
      lock.unlock();
    }
  }

  /** The neighbour cache's state for {@code ip}, if it has an entry. */
  public Optional<Neighbours.State> neighbourState(Ipv6Address ip) {
    lock.lock();
    try {
      return neighbours.state(ip);
    } finally {
      lock.unlock();
    }
  }

  /** The duplicate-address-detection state of one of our addresses, if we have it. */
  public Optional<AddressTable.State> addressState(Ipv6Address ip) {
    for (Address a : table.snapshot()) {
      if (a.address().equals(ip)) {
        return Optional.of(a.state);
      }
    }
    return Optional.empty();
  }

  /** Addresses in any state (tentative and duplicate included), for bounds checks. */
  public int addressCount() {
    return table.snapshot().size();
  }

  /** Learnt default routers and on-link prefixes, for bounds checks. */
  public int learntRouteCount() {
    lock.lock();
    try {
      return routes.learntRouters() + routes.learntPrefixes();
    } finally {
      lock.unlock();
    }
  }

  /** Datagrams in reassembly now. */
  public int reassemblyCount() {
    return reassembly.count();
  }

  /** Bytes held by datagrams in reassembly. */
  public int reassemblyBytes() {
    return reassembly.bytes();
  }

  // ---------------------------------------------------------------- receiving

  /** Handles one received datagram (an Ethernet payload). */
  void input(ByteBuffer p) {
    if (closed || !connected) {
      return;
    }
    int n = p.remaining();
    if (n < HEADER || (p.get(0) & 0xf0) != 0x60) {
      dropped.incrementAndGet();
      return;
    }
    int plen = p.getShort(4) & 0xffff;
    if (HEADER + plen > n) {
      dropped.incrementAndGet();
      return;
    }
    int nh = p.get(6) & 0xff;
    int hops = p.get(7) & 0xff;
    Ipv6Address src = new Ipv6Address(p.getLong(8), p.getLong(16));
    Ipv6Address dst = new Ipv6Address(p.getLong(24), p.getLong(32));
    List<Address> snapshot = table.snapshot();
    if (src.isMulticast() || src.isLoopback() || dst.isLoopback() || src.isIpv4Mapped()
        || !forUs(snapshot, dst)) {
      dropped.incrementAndGet();
      return;
    }
    ByteBuffer d = p;
    int off = HEADER;
    int end = HEADER + plen;
    boolean first = true;
    while (true) {
      if (nh == 0 && !first) {
        dropped.incrementAndGet(); // hop-by-hop options only right after the header
        return;
      }
      if (nh == 0 || nh == 60) { // hop-by-hop, destination options
        if (off + 2 > end) {
          dropped.incrementAndGet();
          return;
        }
        int len = ((d.get(off + 1) & 0xff) + 1) * 8;
        if (off + len > end || !optionsAcceptable(d, off + 2, off + len)) {
          dropped.incrementAndGet();
          return;
        }
        nh = d.get(off) & 0xff;
        off += len;
      } else if (nh == 43) { // routing
        if (off + 8 > end) {
          dropped.incrementAndGet();
          return;
        }
        int len = ((d.get(off + 1) & 0xff) + 1) * 8;
        if (off + len > end || (d.get(off + 3) & 0xff) != 0) {
          dropped.incrementAndGet(); // segments left: we are not a router
          return;
        }
        nh = d.get(off) & 0xff;
        off += len;
      } else if (nh == 44) { // fragment
        if (off + FRAGMENT_HEADER > end) {
          dropped.incrementAndGet();
          return;
        }
        int next = d.get(off) & 0xff;
        int field = d.getShort(off + 2) & 0xffff;
        int fragOffset = field & 0xfff8;
        boolean more = (field & 1) != 0;
        int id = d.getInt(off + 4);
        off += FRAGMENT_HEADER;
        if (fragOffset != 0 || more) {
          if (!AddressTable.isAssigned(snapshot, dst) && !dst.isMulticast()) {
            dropped.incrementAndGet();
            return;
          }
          ByteBuffer whole = reassembly.add(new FragmentKey(src, dst, id, next), fragOffset, more,
              d.slice(off, end - off));
          if (whole == null) {
            return;
          }
          d = whole;
          off = 0;
          end = whole.remaining();
        }
        nh = next; // an atomic fragment (RFC 6946) is processed as it is
      } else {
        break;
      }
      first = false;
    }
    ByteBuffer payload = d.slice(off, end - off);
    if (nh == ICMPV6) {
      icmp(src, dst, hops, payload, snapshot);
      return;
    }
    if (nh == 59 || dst.isMulticast() || !AddressTable.isAssigned(snapshot, dst)) {
      return; // no next header; upper layers only get unicast to an assigned address
    }
    Listener l = listeners.get(nh);
    if (l != null) {
      l.onPacket(src, dst, payload);
    }
  }

  /** Whether the options from {@code from} to {@code to} let the datagram through (RFC 8200 4.2). */
  private static boolean optionsAcceptable(ByteBuffer d, int from, int to) {
    int i = from;
    while (i < to) {
      int type = d.get(i) & 0xff;
      if (type == 0) { // Pad1
        i++;
        continue;
      }
      if (i + 2 > to) {
        return false;
      }
      int len = d.get(i + 1) & 0xff;
      if (i + 2 + len > to) {
        return false;
      }
      if (type != 1 && (type >>> 6) != 0) {
        return false; // unrecognised, and its action is to discard
      }
      i += 2 + len;
    }
    return true;
  }

  private static boolean forUs(List<Address> snapshot, Ipv6Address dst) {
    if (dst.equals(Ipv6Address.ALL_NODES)) {
      return true;
    }
    if (dst.isMulticast()) {
      for (Address a : snapshot) {
        if (a.state != AddressTable.State.DUPLICATE && a.address().solicitedNode().equals(dst)) {
          return true;
        }
      }
      return false;
    }
    for (Address a : snapshot) {
      if (a.address().equals(dst) && a.state != AddressTable.State.DUPLICATE) {
        return true; // tentative ones only for neighbour discovery, checked later
      }
    }
    return false;
  }

  private void icmp(Ipv6Address src, Ipv6Address dst, int hops, ByteBuffer m,
      List<Address> snapshot) {
    int n = m.remaining();
    if (n < 4 || !Icmpv6.checksumOk(m, src, dst)) {
      dropped.incrementAndGet();
      return;
    }
    int type = m.get(0) & 0xff;
    int code = m.get(1) & 0xff;
    switch (type) {
      case Icmpv6.ECHO_REQUEST -> {
        if (code != 0 || n < 8 || dst.isMulticast() || !AddressTable.isAssigned(snapshot, dst)) {
          return; // echoes to multicast groups are not answered
        }
        ByteBuffer r = ByteBuffer.allocate(n);
        r.put(m.duplicate());
        r.put(0, (byte) Icmpv6.ECHO_REPLY);
        try {
          transmit(dst, src, ICMPV6, hopLimit, Icmpv6.seal(r, dst, src));
        } catch (IOException e) {
          // best effort
        }
      }
      case Icmpv6.ECHO_REPLY -> {
        if (n >= 8 && (m.getShort(4) & 0xffff) == identifier) {
          echoes.replied(m.getShort(6) & 0xffff);
        }
      }
      case Icmpv6.NEIGHBOUR_SOLICITATION, Icmpv6.NEIGHBOUR_ADVERTISEMENT,
          Icmpv6.ROUTER_ADVERTISEMENT -> {
        if (hops != 255 || code != 0) {
          dropped.incrementAndGet(); // RFC 4861 6.1, 7.1: only from the link itself
          return;
        }
        lock.lock();
        try {
          if (closed) {
            return;
          }
          if (type == Icmpv6.NEIGHBOUR_SOLICITATION) {
            neighbourSolicitation(src, dst, m);
          } else if (type == Icmpv6.NEIGHBOUR_ADVERTISEMENT) {
            neighbourAdvertisement(dst, m);
          } else {
            routerAdvertisement(src, m);
          }
        } catch (IllegalArgumentException e) {
          dropped.incrementAndGet(); // malformed options
        } finally {
          lock.unlock();
        }
      }
      default -> { } // router solicitations (we are no router), errors, redirects: ignored
    }
  }

  /** RFC 4861 7.1.1 and 7.2.3; RFC 4862 5.4.3. */
  private void neighbourSolicitation(Ipv6Address src, Ipv6Address dst, ByteBuffer m) {
    if (m.remaining() < 24) {
      dropped.incrementAndGet();
      return;
    }
    Ipv6Address target = new Ipv6Address(m.getLong(8), m.getLong(16));
    MacAddress sllao = Icmpv6.linkAddress(m, 24, Icmpv6.OPT_SOURCE_LINK_ADDRESS);
    if (target.isMulticast()
        || (src.isUnspecified() && (!dst.equals(target.solicitedNode()) || sllao != null))) {
      dropped.incrementAndGet();
      return;
    }
    Address a = table.find(target);
    if (a == null || a.state == AddressTable.State.DUPLICATE) {
      return;
    }
    if (a.state == AddressTable.State.TENTATIVE) {
      if (src.isUnspecified()) {
        duplicate(a); // another node is detecting the same address
      }
      return;
    }
    if (!src.isUnspecified() && sllao != null) {
      neighbours.learn(src, sllao, false);
    }
    boolean toAll = src.isUnspecified();
    ByteBuffer na = Icmpv6.neighbourAdvertisement(target,
        (toAll ? 0 : Icmpv6.NA_SOLICITED) | Icmpv6.NA_OVERRIDE, mac);
    Ipv6Address to = toAll ? Ipv6Address.ALL_NODES : src;
    sendNd(target, to, Icmpv6.seal(na, target, to));
    rescheduleSweepIfIdle();
  }

  /** RFC 4861 7.1.2 and 7.2.5; RFC 4862 5.4.4. */
  private void neighbourAdvertisement(Ipv6Address dst, ByteBuffer m) {
    if (m.remaining() < 24) {
      dropped.incrementAndGet();
      return;
    }
    int flags = m.getInt(4);
    Ipv6Address target = new Ipv6Address(m.getLong(8), m.getLong(16));
    boolean solicited = (flags & Icmpv6.NA_SOLICITED) != 0;
    if (target.isMulticast() || (dst.isMulticast() && solicited)) {
      dropped.incrementAndGet();
      return;
    }
    MacAddress tlla = Icmpv6.linkAddress(m, 24, Icmpv6.OPT_TARGET_LINK_ADDRESS);
    Address a = table.find(target);
    if (a != null) {
      if (a.state == AddressTable.State.TENTATIVE) {
        duplicate(a);
      }
      return; // another node claims an address of ours: ours stays
    }
    boolean router = (flags & Icmpv6.NA_ROUTER) != 0;
    neighbours.advertised(target, tlla, solicited, (flags & Icmpv6.NA_OVERRIDE) != 0, router);
    if (!router) {
      routes.router(target, 0, scheduler.nanoTime()); // it stopped being a router (7.2.5)
    }
  }

  /** RFC 4861 6.1.2 and 6.3.4; RFC 4862 5.5.3. */
  private void routerAdvertisement(Ipv6Address src, ByteBuffer m) {
    if (!acceptRouterAdvertisements) {
      return;
    }
    int n = m.remaining();
    if (!src.isLinkLocal() || n < 16) {
      dropped.incrementAndGet();
      return;
    }
    Icmpv6.linkAddress(m, 16, Icmpv6.OPT_SOURCE_LINK_ADDRESS); // validates every option's length
    long now = scheduler.nanoTime();
    advertisementSeen = true;
    int curHopLimit = m.get(4) & 0xff;
    int routerLifetime = m.getShort(6) & 0xffff;
    long reachable = Integer.toUnsignedLong(m.getInt(8));
    long retrans = Integer.toUnsignedLong(m.getInt(12));
    if (curHopLimit != 0) {
      hopLimit = curHopLimit;
    }
    neighbours.times(reachable * 1_000_000L, retrans * 1_000_000L);
    for (int i = 16; i < n; ) {
      int type = m.get(i) & 0xff;
      int len = (m.get(i + 1) & 0xff) * 8;
      if (type == Icmpv6.OPT_SOURCE_LINK_ADDRESS && len >= 8) {
        neighbours.learn(src, Icmpv6.linkAddress(m.slice(i, len), 0, type), true);
      } else if (type == Icmpv6.OPT_MTU && len == 8) {
        long mtu = Integer.toUnsignedLong(m.getInt(i + 4));
        if (mtu >= MIN_MTU && mtu <= ethernet.mtu()) {
          linkMtu = (int) mtu;
        }
      } else if (type == Icmpv6.OPT_PREFIX_INFORMATION && len == 32) {
        prefixInformation(m, i, now);
      }
      i += len;
    }
    routes.router(src, until(routerLifetime, now), now);
    rescheduleSweep();
  }

  private void prefixInformation(ByteBuffer m, int at, long now) {
    int length = m.get(at + 2) & 0xff;
    int flags = m.get(at + 3) & 0xff;
    long valid = Integer.toUnsignedLong(m.getInt(at + 4));
    long preferred = Integer.toUnsignedLong(m.getInt(at + 8));
    Ipv6Address prefix = new Ipv6Address(m.getLong(at + 16), m.getLong(at + 24));
    if (length > 128 || prefix.isLinkLocal() || prefix.isMulticast()) {
      return;
    }
    if ((flags & 0x80) != 0) {
      routes.onLink(new Ipv6Prefix(prefix, length), until(valid, now), now);
    }
    if ((flags & 0x40) == 0 || length != 64 || preferred > valid) {
      return; // autoconfiguration needs a /64 (our interface identifiers have 64 bits)
    }
    Ipv6Address address = new Ipv6Address(prefix.high(), Icmpv6.interfaceIdentifier(mac));
    long validUntil = until(valid, now);
    Address a = table.find(address);
    if (a == null) {
      if (valid == 0 || table.autoconfiguredCount() >= AddressTable.MAX_AUTOCONFIGURED) {
        return;
      }
      a = table.add(new Ipv6Prefix(address, 64), Origin.AUTOCONFIGURED);
      a.validUntil = validUntil;
      a.preferredUntil = until(preferred, now);
      startDad(a);
      return;
    }
    if (a.origin != Origin.AUTOCONFIGURED) {
      return;
    }
    // RFC 4862 5.5.3 (e): a short valid lifetime cannot take an address away at once.
    long remaining = a.validUntil - now;
    if (validUntil > now + TWO_HOURS_NANOS || validUntil > a.validUntil) {
      a.validUntil = validUntil;
    } else if (remaining > TWO_HOURS_NANOS) {
      a.validUntil = now + TWO_HOURS_NANOS;
    }
    a.preferredUntil = until(preferred, now);
    if (a.state == AddressTable.State.DEPRECATED && a.preferredUntil > now) {
      a.state = AddressTable.State.PREFERRED;
    }
    table.publish();
  }

  /** A lifetime in seconds from a message, as a scheduler deadline (all ones: infinity). */
  private static long until(long seconds, long now) {
    return seconds == 0xffff_ffffL ? Long.MAX_VALUE : now + seconds * 1_000_000_000L;
  }

  // ---------------------------------------------------------------- addresses (RFC 4862)

  /** Duplicate address detection for a new address: one solicitation, then a second's wait. */
  private void startDad(Address a) {
    ethernet.joinMulticast(Icmpv6.multicastMac(a.address().solicitedNode()));
    after(randomDelay(MAX_RTR_SOLICITATION_DELAY_NANOS), () -> {
      if (a.state != AddressTable.State.TENTATIVE || table.find(a.address()) != a) {
        return;
      }
      Ipv6Address group = a.address().solicitedNode();
      ByteBuffer ns = Icmpv6.neighbourSolicitation(a.address(), null);
      sendNd(Ipv6Address.UNSPECIFIED, group, Icmpv6.seal(ns, Ipv6Address.UNSPECIFIED, group));
      after(Neighbours.RETRANS_TIMER_NANOS, () -> {
        if (a.state == AddressTable.State.TENTATIVE && table.find(a.address()) == a) {
          a.state = scheduler.nanoTime() < a.preferredUntil
              ? AddressTable.State.PREFERRED : AddressTable.State.DEPRECATED;
          table.publish();
          rescheduleSweep();
        }
      });
    });
  }

  private void duplicate(Address a) {
    duplicates.incrementAndGet();
    a.state = AddressTable.State.DUPLICATE;
    ethernet.leaveMulticast(Icmpv6.multicastMac(a.address().solicitedNode()));
    if (a.origin == Origin.AUTOCONFIGURED) {
      table.remove(a);
    } else {
      table.publish(); // a static or link-local duplicate stays, unusable, for operators to see
    }
  }

  private void solicitRouters() {
    if (advertisementSeen || solicitationsSent >= MAX_RTR_SOLICITATIONS) {
      return;
    }
    solicitationsSent++;
    Optional<Ipv6Address> ll = AddressTable.source(table.snapshot(), Ipv6Address.ALL_ROUTERS);
    Ipv6Address src = ll.orElse(Ipv6Address.UNSPECIFIED);
    ByteBuffer rs = Icmpv6.routerSolicitation(src.isUnspecified() ? null : mac);
    sendNd(src, Ipv6Address.ALL_ROUTERS, Icmpv6.seal(rs, src, Ipv6Address.ALL_ROUTERS));
    after(RTR_SOLICITATION_INTERVAL_NANOS, this::solicitRouters);
  }

  /** Expires addresses, prefixes, routers and stale neighbours; plans the next sweep. */
  private void sweepNow() {
    sweep = null;
    sweepAt = Long.MAX_VALUE;
    if (closed) {
      return;
    }
    long now = scheduler.nanoTime();
    long next = Long.MAX_VALUE;
    boolean changed = false;
    for (Address a : table.snapshot()) {
      if (a.validUntil <= now) {
        ethernet.leaveMulticast(Icmpv6.multicastMac(a.address().solicitedNode()));
        table.remove(a);
        continue;
      }
      if (a.state == AddressTable.State.PREFERRED && a.preferredUntil <= now) {
        a.state = AddressTable.State.DEPRECATED;
        changed = true;
      }
      next = Math.min(next, a.validUntil);
      if (a.state == AddressTable.State.PREFERRED) {
        next = Math.min(next, a.preferredUntil);
      }
    }
    if (changed) {
      table.publish();
    }
    next = Math.min(next, routes.expire(now));
    next = Math.min(next, neighbours.expire(now));
    planSweep(next);
  }

  private void rescheduleSweep() {
    long now = scheduler.nanoTime();
    long next = Math.min(routes.expire(now), neighbours.expire(now));
    for (Address a : table.snapshot()) {
      next = Math.min(next, a.validUntil);
      if (a.state == AddressTable.State.PREFERRED) {
        next = Math.min(next, a.preferredUntil);
      }
    }
    planSweep(next);
  }

  private void planSweep(long at) {
    if (at == Long.MAX_VALUE || at >= sweepAt) {
      return;
    }
    if (sweep != null) {
      sweep.cancel();
    }
    sweepAt = at;
    sweep = scheduler.schedule(Math.max(0, at - scheduler.nanoTime()), () -> {
      lock.lock();
      try {
        sweepNow();
      } finally {
        lock.unlock();
      }
    });
  }

  /** Runs {@code task} under the lock after {@code delay}, unless the layer closed. */
  private void after(long delayNanos, Runnable task) {
    Scheduler.Timer[] self = new Scheduler.Timer[1];
    self[0] = scheduler.schedule(delayNanos, () -> {
      lock.lock();
      try {
        timers.remove(self[0]);
        if (!closed) {
          task.run();
        }
      } finally {
        lock.unlock();
      }
    });
    timers.add(self[0]);
  }

  private long randomDelay(long max) {
    return (random.nextLong() >>> 1) % max;
  }

  // ---------------------------------------------------------------- sending

  /** Sends a neighbour-discovery message (hop limit 255) straight to its link-layer address. */
  private void sendNd(Ipv6Address src, Ipv6Address dst, ByteBuffer message) {
    if (dst.isMulticast()) {
      send(Icmpv6.multicastMac(dst), packet(src, dst, ICMPV6, 255, message));
      return;
    }
    ByteBuffer packet = packet(src, dst, ICMPV6, 255, message);
    neighbours.resolve(dst, m -> m.ifPresent(mac -> send(mac, packet)));
  }

  /** The neighbour cache's solicitations: multicast to the solicited-node group, or unicast. */
  private void solicit(Ipv6Address target, MacAddress to) {
    List<Address> snapshot = table.snapshot();
    Optional<Ipv6Address> src = AddressTable.source(snapshot, target);
    if (src.isEmpty()) {
      src = AddressTable.source(snapshot, new Ipv6Address(0xfe80L << 48, 1));
    }
    if (src.isEmpty()) {
      return; // no usable address yet
    }
    Ipv6Address dst = to == null ? target.solicitedNode() : target;
    ByteBuffer ns = Icmpv6.neighbourSolicitation(target, mac);
    send(to == null ? Icmpv6.multicastMac(dst) : to,
        packet(src.get(), dst, ICMPV6, 255, Icmpv6.seal(ns, src.get(), dst)));
  }

  private void transmit(Ipv6Address src, Ipv6Address dst, int nextHeader, int hops,
      ByteBuffer payload) throws IOException {
    if (closed) {
      throw new IOException("IPv6 layer closed");
    }
    int len = payload.remaining();
    if (len > 65535) {
      throw new IOException("datagram payload too long: " + len);
    }
    List<ByteBuffer> packets = new ArrayList<>(1);
    int mtu = linkMtu;
    if (HEADER + len <= mtu) {
      packets.add(packet(src, dst, nextHeader, hops, payload));
    } else {
      int per = ((mtu - HEADER - FRAGMENT_HEADER) / 8) * 8;
      int id = (int) random.nextLong();
      ByteBuffer data = payload.duplicate();
      for (int off = 0; off < len; off += per) {
        int k = Math.min(per, len - off);
        ByteBuffer f = ByteBuffer.allocate(FRAGMENT_HEADER + k);
        f.put((byte) nextHeader).put((byte) 0).putShort((short) (off | (off + k < len ? 1 : 0)))
            .putInt(id).put(data.slice(data.position() + off, k));
        f.flip();
        packets.add(packet(src, dst, 44, hops, f));
      }
    }
    if (dst.isMulticast()) {
      MacAddress m = Icmpv6.multicastMac(dst);
      for (ByteBuffer b : packets) {
        send(m, b);
      }
      return;
    }
    lock.lock();
    try {
      Optional<Ipv6Address> hop = routes.nextHop(dst);
      if (hop.isEmpty()) {
        throw new NoRouteToHostException("no route to " + dst + " (no default router)");
      }
      neighbours.resolve(hop.get(), m -> m.ifPresent(mac -> {
        for (ByteBuffer b : packets) {
          send(mac, b);
        }
      }));
      rescheduleSweepIfIdle();
    } finally {
      lock.unlock();
    }
  }

  /** A neighbour entry may have been created: make sure a sweep will expire it. */
  private void rescheduleSweepIfIdle() {
    if (sweep == null) {
      rescheduleSweep();
    }
  }

  private void send(MacAddress to, ByteBuffer packet) {
    try {
      ethernet.send(to, Ethernet.IPV6, packet);
    } catch (IOException e) {
      // like a lost packet
    }
  }

  private static ByteBuffer packet(Ipv6Address src, Ipv6Address dst, int nextHeader, int hops,
      ByteBuffer payload) {
    int n = payload.remaining();
    ByteBuffer b = ByteBuffer.allocate(HEADER + n);
    b.putInt(0x6000_0000).putShort((short) n).put((byte) nextHeader).put((byte) hops);
    b.putLong(src.high()).putLong(src.low()).putLong(dst.high()).putLong(dst.low());
    b.put(payload.duplicate());
    b.flip();
    return b;
  }
}
