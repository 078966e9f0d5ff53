package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.mirage4j.api.DhcpServer;
import org.mirage4j.api.Ipv4;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.MonotonicClock;
import org.mirage4j.api.Udp;
import org.mirage4j.api.UdpSocket;
import org.mirage4j.drivers.direct.dhcp.DhcpMessage;
import org.mirage4j.drivers.direct.dhcp.DhcpMessage.Options;
import org.mirage4j.drivers.direct.dhcp.LeaseTable;
import org.mirage4j.drivers.direct.time.Scheduler;

/**
 * A DHCP server (RFC 2131, options of RFC 2132) on the direct stack's UDP port 67: the {@code
 * dhcp_server} of std.mirage. It hands out addresses of one range on the IPv4 layer's own network,
 * with the subnet mask, the routers and DNS servers given, a lease time and the renewal (T1, half)
 * and rebinding (T2, seven eighths) times; it answers DISCOVER with an OFFER, REQUEST (selecting,
 * init-reboot, renewing, rebinding) with an ACK or a NAK, takes RELEASE and DECLINE, answers INFORM,
 * and lets leases that are not renewed expire.
 *
 * <p>Replies go where RFC 2131 4.1 says: to the relay agent when there is one, to the client's
 * address when it has one, and otherwise to the IP and link-layer broadcast addresses (the RFC
 * allows that where unicast to a hardware address is not possible; every client takes it). The
 * server's own address is never handed out. Not yet: static host reservations, several ranges,
 * option overload, authentication (RFC 3118), DHCP failover.
 */
public final class DirectDhcpServer implements DhcpServer {

  private final Ipv4 ipv4;
  private final Udp udp;
  private final Scheduler scheduler;
  private final Ipv4Address first;
  private final Ipv4Address last;
  private final Duration lease;
  private final List<Ipv4Address> routers;
  private final List<Ipv4Address> dns;
  private final Object lock = new Object();
  private final AtomicLong ignored = new AtomicLong();
  private LeaseTable table;
  private UdpSocket socket;
  private Ipv4Prefix network;
  private volatile boolean closed;
  private Scheduler.Timer expiryTimer;
  private long expiryAt = Long.MAX_VALUE;
  private volatile Listener listener = (e, l) -> { };

  /**
   * @param ipv4 the server's IPv4 layer (a static address: the server's identifier, and the
   *     network the range must lie in)
   * @param udp the UDP layer over it (port 67 is bound on connect)
   * @param clock times leases and offers
   * @param first the first address handed out
   * @param last the last address handed out (inclusive)
   * @param lease how long a lease lasts unless renewed
   * @param routers the routers to tell clients (option 3), may be empty
   * @param dns the DNS servers to tell clients (option 6), may be empty
   */
  public DirectDhcpServer(Ipv4 ipv4, Udp udp, MonotonicClock clock, Ipv4Address first,
      Ipv4Address last, Duration lease, List<Ipv4Address> routers, List<Ipv4Address> dns) {
    this.ipv4 = ipv4;
    this.udp = udp;
    this.scheduler = Scheduler.forClock(clock);
    this.first = first;
    this.last = last;
    this.lease = lease;
    this.routers = List.copyOf(routers);
    this.dns = List.copyOf(dns);
  }

  @Override
  public void connect() throws IOException {
    Ipv4Prefix p = ipv4.prefix();
    if (p.address().equals(Ipv4Address.ANY)) {
      throw new IOException("the DHCP server needs a static IPv4 address of its own");
    }
    if (!p.contains(first) || !p.contains(last)
        || Integer.compareUnsigned(first.bits(), last.bits()) > 0) {
      throw new IOException("the DHCP range " + first + " - " + last + " must lie in the server's"
          + " network " + p.network() + "/" + p.length() + ", first to last");
    }
    if (lease.compareTo(Duration.ofSeconds(1)) < 0 || lease.toSeconds() > 0xffff_fffeL) {
      throw new IOException("a DHCP lease lasts 1 s to 136 years, not " + lease);
    }
    synchronized (lock) {
      network = p;
      table = new LeaseTable(first, last, p.address(), lease.toNanos());
    }
    socket = udp.bind(DhcpMessage.SERVER_PORT);
    LOG.log(System.Logger.Level.INFO, () -> "serving " + first + " - " + last + " for " + lease);
  }

  private static final System.Logger LOG = System.getLogger("dhcp-server");

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      if (expiryTimer != null) {
        expiryTimer.cancel();
      }
    }
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  @Override
  public List<Lease> leases() {
    synchronized (lock) {
      if (table == null) {
        return List.of();
      }
      long now = scheduler.nanoTime();
      List<Lease> out = new ArrayList<>();
      for (LeaseTable.Binding b : table.bindings(now)) {
        if (b.bound()) {
          out.add(lease(b, now));
        }
      }
      out.sort(Comparator.comparing(Lease::address));
      return out;
    }
  }

  /** Requests ignored as malformed or not for this server (for tests and operators). */
  public long ignoredCount() {
    return ignored.get();
  }

  /** Offers and leases held now (bounded by the size of the range). */
  public int bindingCount() {
    synchronized (lock) {
      return table == null ? 0 : table.size();
    }
  }

  @Override
  public void serve(Listener listener) throws IOException {
    if (socket == null) {
      throw new IOException("the DHCP server is not connected");
    }
    listener(listener);
    ByteBuffer buf = ByteBuffer.allocate(1500);
    while (!closed) {
      buf.clear();
      InetSocketAddress from;
      try {
        from = socket.receive(buf);
      } catch (ClosedChannelException e) {
        return;
      }
      buf.flip();
      handle(buf, from);
    }
  }

  /** Sets who is told of lease changes ({@link #serve} does; tests that call {@link #handle} too). */
  void listener(Listener l) {
    this.listener = l;
  }

  /** Handles one datagram to port 67 (the receive loop's step; tests call it directly). */
  void handle(ByteBuffer datagram, InetSocketAddress from) {
    Optional<DhcpMessage> parsed = DhcpMessage.parse(datagram);
    if (parsed.isEmpty() || parsed.get().op() != DhcpMessage.BOOTREQUEST) {
      ignored.incrementAndGet();
      return;
    }
    DhcpMessage m = parsed.get();
    List<Runnable> events = new ArrayList<>();
    DhcpMessage reply;
    synchronized (lock) {
      long now = scheduler.nanoTime();
      for (LeaseTable.Binding b : table.expire(now)) {
        events.add(event(Event.EXPIRED, b, now));
      }
      reply = answer(m, now, events);
      planExpiry();
    }
    if (reply != null) {
      send(m, reply);
    } else {
      ignored.incrementAndGet();
    }
    for (Runnable e : events) {
      e.run();
    }
  }

  /** The reply to {@code m}, or null for none (lock held). */
  private DhcpMessage answer(DhcpMessage m, long now, List<Runnable> events) {
    String client = m.clientKey();
    Ipv4Address me = network.address();
    Optional<Ipv4Address> serverId = m.address(DhcpMessage.OPT_SERVER_ID);
    Optional<Ipv4Address> requested = m.address(DhcpMessage.OPT_REQUESTED_ADDRESS);
    Optional<String> hostname = m.text(DhcpMessage.OPT_HOSTNAME);
    switch (m.type()) {
      case DhcpMessage.DISCOVER -> {
        return table.offer(client, m.chaddr(), requested, now)
            .map(b -> DhcpMessage.reply(m, b.address, options(DhcpMessage.OFFER, true)))
            .orElse(null); // the range is exhausted: no offer
      }
      case DhcpMessage.REQUEST -> {
        LeaseTable.Decision d;
        if (serverId.isPresent()) { // SELECTING
          if (!serverId.get().equals(me)) {
            table.withdraw(client);
            return null;
          }
          if (requested.isEmpty()) {
            return null;
          }
          d = table.select(client, m.chaddr(), requested.get(), now, hostname);
        } else if (requested.isPresent()) { // INIT-REBOOT
          d = table.confirm(client, m.chaddr(), requested.get(), now, hostname, false);
        } else if (!m.ciaddr().equals(Ipv4Address.ANY)) { // RENEWING, REBINDING
          d = table.confirm(client, m.chaddr(), m.ciaddr(), now, hostname, true);
        } else {
          return null;
        }
        return switch (d.answer()) {
          case ACK -> {
            events.add(event(d.renewal() ? Event.RENEWED : Event.GRANTED, d.binding(), now));
            Ipv4Address granted = d.binding().address;
            LOG.log(System.Logger.Level.INFO, () -> (d.renewal() ? "renewed " : "leased ") + granted
                + " to " + m.chaddr());
            yield DhcpMessage.reply(m, d.binding().address, options(DhcpMessage.ACK, true));
          }
          case NAK -> DhcpMessage.reply(m, Ipv4Address.ANY, new Options().type(DhcpMessage.NAK)
              .address(DhcpMessage.OPT_SERVER_ID, me)
              .text(DhcpMessage.OPT_MESSAGE, "address not available").build());
          case SILENT -> null;
        };
      }
      case DhcpMessage.DECLINE -> {
        if (serverId.isPresent() && serverId.get().equals(me) && requested.isPresent()) {
          table.decline(client, requested.get(), now)
              .ifPresent(b -> events.add(event(Event.DECLINED, b, now)));
        }
        return null;
      }
      case DhcpMessage.RELEASE -> {
        table.release(client, m.ciaddr()).ifPresent(b -> events.add(event(Event.RELEASED, b, now)));
        return null;
      }
      case DhcpMessage.INFORM -> {
        return m.ciaddr().equals(Ipv4Address.ANY) ? null
            : DhcpMessage.reply(m, Ipv4Address.ANY, options(DhcpMessage.ACK, false));
      }
      default -> {
        return null;
      }
    }
  }

  private Map<Integer, byte[]> options(int type, boolean withLease) {
    Options o = new Options().type(type).address(DhcpMessage.OPT_SERVER_ID, network.address());
    if (withLease) {
      long s = lease.toSeconds();
      o.seconds(DhcpMessage.OPT_LEASE_TIME, s)
          .seconds(DhcpMessage.OPT_RENEWAL_TIME, s / 2)
          .seconds(DhcpMessage.OPT_REBINDING_TIME, s * 7 / 8);
    }
    o.address(DhcpMessage.OPT_SUBNET_MASK, network.netmask())
        .addresses(DhcpMessage.OPT_ROUTERS, routers)
        .addresses(DhcpMessage.OPT_DNS, dns);
    return o.build();
  }

  /** Sends a reply where RFC 2131 4.1 says (see the class comment). */
  private void send(DhcpMessage request, DhcpMessage reply) {
    InetSocketAddress to;
    if (!request.giaddr().equals(Ipv4Address.ANY)) {
      to = new InetSocketAddress(request.giaddr().toInetAddress(), DhcpMessage.SERVER_PORT);
    } else if (reply.type() != DhcpMessage.NAK && !request.ciaddr().equals(Ipv4Address.ANY)) {
      to = new InetSocketAddress(request.ciaddr().toInetAddress(), DhcpMessage.CLIENT_PORT);
    } else {
      to = new InetSocketAddress(Ipv4Address.BROADCAST.toInetAddress(), DhcpMessage.CLIENT_PORT);
    }
    try {
      socket.send(to, reply.encode());
    } catch (IOException e) {
      // like a lost reply: the client retransmits
    }
  }

  /** Schedules the next expiry, so that EXPIRED is told without traffic (lock held). */
  private void planExpiry() {
    long at = table.nextExpiry();
    if (at == Long.MAX_VALUE || at >= expiryAt || closed) {
      return;
    }
    if (expiryTimer != null) {
      expiryTimer.cancel();
    }
    expiryAt = at;
    expiryTimer = scheduler.schedule(Math.max(0, at - scheduler.nanoTime()), () -> {
      List<Runnable> events = new ArrayList<>();
      synchronized (lock) {
        expiryTimer = null;
        expiryAt = Long.MAX_VALUE;
        long now = scheduler.nanoTime();
        for (LeaseTable.Binding b : table.expire(now)) {
          events.add(event(Event.EXPIRED, b, now));
        }
        planExpiry();
      }
      for (Runnable e : events) {
        e.run();
      }
    });
  }

  private Runnable event(Event kind, LeaseTable.Binding b, long now) {
    Lease l = kind == Event.GRANTED || kind == Event.RENEWED ? lease(b, now)
        : new Lease(b.address, b.mac, b.hostname(), Duration.ZERO);
    Listener target = listener;
    return () -> target.onLease(kind, l);
  }

  private static Lease lease(LeaseTable.Binding b, long now) {
    return new Lease(b.address, b.mac, b.hostname(), Duration.ofNanos(Math.max(0, b.expiresAt() - now)));
  }
}
