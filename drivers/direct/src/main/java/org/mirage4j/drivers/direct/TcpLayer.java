package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.mirage4j.api.Flow;
import org.mirage4j.api.IpAddress;
import org.mirage4j.api.Ipv4;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv6;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.MonotonicClock;
import org.mirage4j.api.RandomSource;
import org.mirage4j.api.Tcp;
import org.mirage4j.api.TcpListener;
import org.mirage4j.drivers.direct.tcp.ConnectionTable;
import org.mirage4j.drivers.direct.tcp.IpLayer;
import org.mirage4j.drivers.direct.tcp.TcpCounters;
import org.mirage4j.drivers.direct.tcp.TcpParameters;
import org.mirage4j.drivers.direct.time.Scheduler;
import org.mirage4j.drivers.direct.wire.Checksum;

/**
 * TCP (RFC 9293) over the direct IPv4 layer, or over IPv4 and IPv6: the {@code tcp} and {@code
 * tcpv4v6} drivers of std.mirage.
 *
 * <p>This class connects the TCP implementation of {@link org.mirage4j.drivers.direct.tcp} to an
 * {@link Ipv4} layer (and an {@link Ipv6} one) and a clock; see that package for the pieces
 * (segments, sequence arithmetic, the RFC 6298 timer, RFC 5681/6582 congestion control, the
 * receive queue, the state machine, flows and listeners) and {@code docs/direct-stack.md} for what
 * each RFC covers.
 */
public final class TcpLayer implements Tcp {

  static final int SND_BUF = TcpParameters.SND_BUF;
  static final int RCV_BUF = TcpParameters.RCV_BUF;
  static final long TIME_WAIT = TcpParameters.TIME_WAIT;
  static final int SYNACK_RETRIES = TcpParameters.SYNACK_RETRIES;
  static final int MAX_HALF_OPEN_PER_LISTENER = TcpParameters.MAX_HALF_OPEN_PER_LISTENER;
  static final int MAX_TIME_WAIT = TcpParameters.MAX_TIME_WAIT;

  private final Ipv4 ipv4;
  private final Ipv6 ipv6;
  private final ConnectionTable table;
  private final TcpCounters counters;
  final AtomicLong simultaneousOpens;
  final AtomicLong simultaneousCloses;
  final AtomicLong timeWaitsEntered;
  /** Chooses initial sequence numbers; tests replace it to start near the 2^32 wrap. */
  volatile IntSupplier isnSource;

  /**
   * TCP over {@code ipv4}.
   *
   * @param clock times retransmissions and the other timers (a {@link Scheduler} is used as is)
   * @param random chooses initial sequence numbers and ephemeral ports
   */
  public TcpLayer(Ipv4 ipv4, MonotonicClock clock, RandomSource random) {
    this(ipv4, null, clock, random);
  }

  /**
   * TCP over IPv4 and IPv6 (MirageOS's TCP over {@code ipv4v6}): listeners take connections of
   * both, connections go out over the family of the address connected to.
   *
   * @param clock times retransmissions and the other timers (a {@link Scheduler} is used as is)
   * @param random chooses initial sequence numbers and ephemeral ports
   */
  public TcpLayer(Ipv4 ipv4, Ipv6 ipv6, MonotonicClock clock, RandomSource random) {
    this.ipv4 = ipv4;
    this.ipv6 = ipv6;
    Scheduler scheduler = Scheduler.forClock(clock);
    // Initial sequence numbers: random plus a 4 µs clock (in the spirit of RFC 6528).
    this.isnSource = () -> (int) (random.nextLong() + scheduler.nanoTime() / 4000);
    this.table = new ConnectionTable(new Paths(ipv4, ipv6), scheduler, random,
        () -> isnSource.getAsInt());
    this.counters = table.counters();
    this.simultaneousOpens = counters.simultaneousOpens;
    this.simultaneousCloses = counters.simultaneousCloses;
    this.timeWaitsEntered = counters.timeWaitsEntered;
  }

  @Override
  public void connect() {
    ipv4.listen(Ipv4.TCP, table::input);
    if (ipv6 != null) {
      ipv6.listen(Ipv6.TCP, table::input);
    }
  }

  @Override
  public void close() {
    table.close();
  }

  @Override
  public TcpListener listen(int port, int backlog) throws IOException {
    return table.listen(port, backlog);
  }

  /**
   * Listens on {@code port} of {@code address}, which must be the wildcard (or {@code null}) or one
   * of this stack's own addresses; a listener takes connections to all of them.
   */
  @Override
  public TcpListener listen(InetAddress address, int port, int backlog) throws IOException {
    if (address != null && !address.isAnyLocalAddress()) {
      IpAddress wanted = IpAddress.of(address);
      boolean own = wanted.equals(ipv4.prefix().address())
          || ipv6 != null && ipv6.addresses().stream().anyMatch(p -> p.address().equals(wanted));
      if (!own) {
        throw new BindException("cannot listen on " + address.getHostAddress() + ": the direct stack's address is "
            + ipv4.prefix().address() + (ipv6 == null ? "" : " (and its IPv6 addresses " + ipv6.addresses() + ")"));
      }
    }
    return listen(port, backlog);
  }

  @Override
  public Flow connect(InetSocketAddress remote, Duration timeout) throws IOException {
    return table.connect(remote, 0, timeout);
  }

  /** Opens a connection from a chosen local port (0: ephemeral); used for simultaneous open. */
  Flow connect(InetSocketAddress remote, int localPort, Duration timeout) throws IOException {
    return table.connect(remote, localPort, timeout);
  }

  // ---------------------------------------------------------------- observability (tests, ops)

  /** Connections in any state. */
  public int connectionCount() {
    return table.connectionCount();
  }

  /** Half-open connections (SYN_RECEIVED). */
  public int halfOpenCount() {
    return table.halfOpenCount();
  }

  /** Connections in TIME_WAIT. */
  public int timeWaitCount() {
    return table.timeWaitCount();
  }

  /** Segments retransmitted (by timeout or fast retransmit). */
  public long retransmitCount() {
    return counters.retransmits.get();
  }

  /** Retransmission timeouts that fired with data outstanding. */
  public long timeoutCount() {
    return counters.timeouts.get();
  }

  /** Fast retransmits (third duplicate ACK). */
  public long fastRetransmitCount() {
    return counters.fastRetransmits.get();
  }

  /** Segments dropped as malformed (bad checksum, bad header). */
  public long badSegmentCount() {
    return counters.badSegments.get();
  }

  /** Total bytes held in out-of-order queues, for bounds checks. */
  int outOfOrderBytes() {
    return table.outOfOrderBytes();
  }

  /** TCP's view of the IP layers below: IPv4, and IPv6 when the stack is dual. */
  private record Paths(Ipv4 ipv4, Ipv6 ipv6) implements IpLayer {
    @Override
    public boolean isLocal(IpAddress address) {
      if (address instanceof Ipv4Address a) {
        return a.equals(ipv4.prefix().address());
      }
      // the IPv6 layer hands up only datagrams to an address assigned to this host
      return ipv6 != null && !((Ipv6Address) address).isMulticast();
    }

    @Override
    public Optional<IpAddress> source(IpAddress remote) {
      if (remote instanceof Ipv4Address) {
        return Optional.of(ipv4.prefix().address());
      }
      return ipv6 == null ? Optional.empty() : ipv6.source((Ipv6Address) remote).map(a -> a);
    }

    @Override
    public int mtu(IpAddress remote) {
      return remote instanceof Ipv4Address || ipv6 == null ? ipv4.mtu() : ipv6.mtu();
    }

    @Override
    public long pseudoHeaderSum(IpAddress source, IpAddress destination, int length) {
      if (source instanceof Ipv4Address s) {
        return Checksum.pseudo(s.bits(), ((Ipv4Address) destination).bits(), Ipv4.TCP, length);
      }
      Ipv6Address s = (Ipv6Address) source;
      Ipv6Address d = (Ipv6Address) destination;
      return Checksum.pseudo6(s.high(), s.low(), d.high(), d.low(), Ipv6.TCP, length);
    }

    @Override
    public void send(IpAddress source, IpAddress destination, ByteBuffer segment)
        throws IOException {
      if (destination instanceof Ipv4Address d) {
        ipv4.send(d, Ipv4.TCP, segment);
      } else {
        ipv6.send((Ipv6Address) source, (Ipv6Address) destination, Ipv6.TCP, segment);
      }
    }
  }
}
