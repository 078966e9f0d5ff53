package org.mirage4j.drivers.direct.tcp;

import static org.mirage4j.drivers.direct.tcp.Segment.ACK;
import static org.mirage4j.drivers.direct.tcp.Segment.FIN;
import static org.mirage4j.drivers.direct.tcp.Segment.RST;
import static org.mirage4j.drivers.direct.tcp.Segment.SYN;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.mirage4j.api.Flow;
import org.mirage4j.api.IpAddress;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.RandomSource;
import org.mirage4j.api.TcpListener;
import org.mirage4j.drivers.direct.tcp.Connection.Key;
import org.mirage4j.drivers.direct.time.Scheduler;

/**
 * The connections and listening ports of one TCP layer: demultiplexes arriving segments to their
 * connection (or to a listener, RFC 9293 3.10.7.2, or answers for a closed port, 3.10.7.1), opens
 * connections, chooses ephemeral ports, keeps the bounds on state (half-open connections per
 * listener and in all, TIME_WAIT, connections in all), and builds and sends segments.
 *
 * <p>One lock guards everything here and in every connection, flow and listener; arriving segments
 * come on the IP layer's receive thread, timers on the scheduler's.
 */
public final class ConnectionTable {

  final ReentrantLock lock = new ReentrantLock();
  final IpLayer ip;
  final Scheduler scheduler;
  final TcpCounters counters = new TcpCounters();
  final StateMachine machine = new StateMachine(this);
  /** The window-scale shift we offer: enough for {@link TcpParameters#RCV_BUF}. */
  final int windowShiftOffer;
  private final RandomSource random;
  private final IntSupplier isn;
  private final Map<Key, Connection> conns = new HashMap<>();
  private final Map<Integer, PortListener> listeners = new HashMap<>();
  private final LinkedHashSet<Connection> halfOpen = new LinkedHashSet<>();
  private final LinkedHashSet<Connection> timeWait = new LinkedHashSet<>();

  /**
   * @param ip the IP layer below
   * @param scheduler times retransmissions and the other timers
   * @param random chooses ephemeral ports
   * @param initialSequenceNumbers chooses initial sequence numbers
   */
  public ConnectionTable(IpLayer ip, Scheduler scheduler, RandomSource random,
      IntSupplier initialSequenceNumbers) {
    this.ip = ip;
    this.scheduler = scheduler;
    this.random = random;
    this.isn = initialSequenceNumbers;
    int s = 0;
    while ((TcpParameters.RCV_BUF >> s) > 65535) {
      s++;
    }
    this.windowShiftOffer = s;
  }

  /** This table's counters. */
  public TcpCounters counters() {
    return counters;
  }

  // ---------------------------------------------------------------- observability

  /** Connections in any state. */
  public int connectionCount() {
    return locked(conns::size);
  }

  /** Half-open connections (SYN_RECEIVED). */
  public int halfOpenCount() {
    return locked(halfOpen::size);
  }

  /** Connections in TIME_WAIT. */
  public int timeWaitCount() {
    return locked(timeWait::size);
  }

  /** Total bytes held in out-of-order queues, for bounds checks. */
  public int outOfOrderBytes() {
    return locked(() -> conns.values().stream().mapToInt(c -> c.receive.heldBytes()).sum());
  }

  private int locked(IntSupplier count) {
    lock.lock();
    try {
      return count.getAsInt();
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- user calls: OPEN

  /** Passive OPEN: listens on {@code port} (0: an ephemeral one). */
  public TcpListener listen(int port, int backlog) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    lock.lock();
    try {
      if (port == 0) {
        port = freePortLocked(null);
      }
      if (listeners.containsKey(port)) {
        throw new BindException("TCP port " + port + " is in use");
      }
      PortListener l = new PortListener(this, port, Math.max(1, backlog));
      listeners.put(port, l);
      return l;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Active OPEN from {@code localPort} (0: an ephemeral one); blocks until the connection is
   * established, refused, or {@code timeout} (zero: the SYN retries alone) passed.
   */
  public Flow connect(InetSocketAddress remote, int localPort, Duration timeout)
      throws IOException {
    if (remote.isUnresolved()) {
      throw new ConnectException("unresolved address: " + remote);
    }
    IpAddress dst = IpAddress.of(remote.getAddress());
    IpAddress src = ip.source(dst).orElseThrow(() -> new NoRouteToHostException(
        "no " + (dst instanceof Ipv4Address ? "IPv4" : "IPv6")
            + " address of this stack reaches " + remote));
    lock.lock();
    Connection c;
    try {
      if (conns.size() >= TcpParameters.MAX_CONNECTIONS) {
        throw new ConnectException("too many connections");
      }
      int port = localPort != 0 ? localPort : freePortLocked(new Key(dst, remote.getPort(), 0));
      Key key = new Key(dst, remote.getPort(), port);
      if (conns.containsKey(key)) {
        throw new BindException("connection " + port + " -> " + remote + " exists");
      }
      c = new Connection(this, key, src, State.SYN_SENT);
      c.initSend(isn.getAsInt());
      conns.put(key, c);
      if (c.sendSyn() instanceof NoRouteToHostException e) {
        remove(c);
        throw new NoRouteToHostException(e.getMessage());
      }
      c.rtx.start();
      if (!timeout.isZero()) {
        c.connectTimer = scheduler.schedule(timeout.toNanos(), () -> connectTimeout(c));
      }
      while (c.state == State.SYN_SENT || c.state == State.SYN_RECEIVED) {
        if (c.error != null) {
          break;
        }
        try {
          c.changed.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          c.fail(new InterruptedIOException("connect interrupted"));
          c.sendReset();
          remove(c);
          throw new InterruptedIOException("connect interrupted");
        }
      }
      if (c.connectTimer != null) {
        c.connectTimer.cancel();
      }
      if (c.error != null && c.state == State.CLOSED) {
        throw c.error instanceof SocketTimeoutException
            ? new SocketTimeoutException(c.error.getMessage())
            : c.error instanceof ConnectException
                ? new ConnectException(c.error.getMessage())
                : new IOException(c.error.getMessage(), c.error);
      }
      return c.flow;
    } finally {
      lock.unlock();
    }
  }

  private void connectTimeout(Connection c) {
    lock.lock();
    try {
      if (c.state == State.SYN_SENT || c.state == State.SYN_RECEIVED) {
        c.fail(new SocketTimeoutException("connect to " + c.remote() + " timed out"));
        c.sendReset();
        remove(c);
      }
    } finally {
      lock.unlock();
    }
  }

  private int freePortLocked(Key remote) throws BindException {
    for (int i = 0; i < 65536; i++) {
      int p = 49152 + random.nextInt(16384);
      if (listeners.containsKey(p)) {
        continue;
      }
      if (remote != null && conns.containsKey(new Key(remote.remote(), remote.remotePort(), p))) {
        continue;
      }
      if (remote == null && usedLocally(p)) {
        continue;
      }
      return p;
    }
    throw new BindException("no free ephemeral TCP port");
  }

  private boolean usedLocally(int port) {
    for (Key k : conns.keySet()) {
      if (k.localPort() == port) {
        return true;
      }
    }
    return false;
  }

  /** Resets every connection and closes every listener (the layer is closing). */
  public void close() {
    lock.lock();
    try {
      for (PortListener l : new ArrayList<>(listeners.values())) {
        l.closeLocked();
      }
      for (Connection c : new ArrayList<>(conns.values())) {
        if (c.state != State.TIME_WAIT) {
          c.sendReset();
        }
        c.fail(new SocketException("TCP layer closed"));
        remove(c);
      }
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- segment arrival

  /** Handles one TCP segment (an IP payload from {@code src} to {@code dst}). */
  public void input(IpAddress src, IpAddress dst, ByteBuffer p) {
    counters.segmentsIn.incrementAndGet();
    if (p.remaining() < Segment.HEADER || !ip.isLocal(dst)) {
      counters.badSegments.incrementAndGet();
      return;
    }
    Segment seg = Segment.parse(p, ip.pseudoHeaderSum(src, dst, p.remaining()));
    if (seg == null) {
      counters.badSegments.incrementAndGet();
      return;
    }
    lock.lock();
    try {
      Key key = new Key(src, seg.sourcePort(), seg.destinationPort());
      Connection c = conns.get(key);
      if (c != null && c.state == State.TIME_WAIT && seg.has(SYN) && !seg.has(ACK)
          && !seg.has(RST)
          && Sequence.unwrap(seg.seq(), c.receive.next()) > c.receive.next()
          && listeners.containsKey(seg.destinationPort())) {
        // A new incarnation of the connection (RFC 9293 3.6.1, RFC 6191 without timestamps): a
        // SYN above the old sequence space ends TIME_WAIT early.
        remove(c);
        c = null;
      }
      if (c != null) {
        if (c.state == State.SYN_SENT) {
          machine.synSent(c, seg);
        } else {
          machine.segmentArrives(c, seg);
        }
        return;
      }
      PortListener l = listeners.get(seg.destinationPort());
      if (l != null && !l.closed) {
        listening(l, key, dst, seg);
        return;
      }
      if (!seg.has(RST)) {
        resetFor(key, dst, seg);
      }
    } finally {
      lock.unlock();
    }
  }

  /** A segment for a listening port without a connection (RFC 9293 3.10.7.2). */
  private void listening(PortListener l, Key key, IpAddress local, Segment seg) {
    if (seg.has(RST)) {
      return;
    }
    if (seg.has(ACK)) {
      resetFor(key, local, seg);
      return;
    }
    if (!seg.has(SYN) || seg.has(FIN)) {
      return;
    }
    // Bounded SYN backlog: evict the oldest half-open connection of this listener (or of all).
    if (l.halfOpen.size() >= l.halfOpenLimit()) {
      remove(l.halfOpen.iterator().next());
    }
    if (halfOpen.size() >= TcpParameters.MAX_HALF_OPEN) {
      remove(halfOpen.iterator().next());
    }
    if (conns.size() >= TcpParameters.MAX_CONNECTIONS) {
      return;
    }
    Connection c = new Connection(this, key, local, State.SYN_RECEIVED);
    c.listener = l;
    c.initSend(isn.getAsInt());
    c.initReceive(seg);
    conns.put(key, c);
    halfOpen.add(c);
    l.halfOpen.add(c);
    c.sendSyn();
    c.rtx.start();
  }

  /** A reset for a segment that has no connection (RFC 9293 3.10.7.1). */
  private void resetFor(Key key, IpAddress local, Segment seg) {
    if (seg.has(ACK)) {
      transmit(key, local, seg.ack(), 0, RST, 0, false, false, null, 0, 0);
    } else {
      transmit(key, local, 0, seg.seq() + seg.len(), RST | ACK, 0, false, false, null, 0, 0);
    }
  }

  // ---------------------------------------------------------------- bookkeeping

  /** Whether {@code c} is still the table's connection for its key. */
  boolean isCurrent(Connection c) {
    return conns.get(c.key) == c;
  }

  /**
   * A half-open connection became established: it leaves the half-open sets and joins its
   * listener's accept queue, or is reset when that queue is full or the listener closed.
   *
   * @return false if the connection was reset
   */
  boolean handOver(Connection c) {
    halfOpen.remove(c);
    PortListener l = c.listener;
    if (l != null) {
      l.halfOpen.remove(c);
      if (l.closed || l.queue.size() >= l.backlog) {
        c.sendReset();
        remove(c);
        return false;
      }
      l.queue.add(c);
      l.ready.signal();
    }
    return true;
  }

  /** Counts {@code c} in TIME_WAIT, dropping the oldest beyond {@link TcpParameters#MAX_TIME_WAIT}. */
  void addTimeWait(Connection c) {
    timeWait.add(c);
    while (timeWait.size() > TcpParameters.MAX_TIME_WAIT) {
      remove(timeWait.iterator().next());
    }
  }

  /** Forgets a listener that closed. */
  void unlisten(PortListener l) {
    listeners.remove(l.port, l);
  }

  /** Removes {@code c} from every set and releases it (state CLOSED). */
  void remove(Connection c) {
    if (conns.get(c.key) == c) {
      conns.remove(c.key);
    }
    halfOpen.remove(c);
    timeWait.remove(c);
    if (c.listener != null) {
      c.listener.halfOpen.remove(c);
      c.listener.queue.remove(c);
    }
    c.release();
  }

  // ---------------------------------------------------------------- sending

  /**
   * Builds one segment of connection {@code c} and hands it to the IP layer; a send that fails
   * counts as a loss (retransmission recovers).
   *
   * @param mssOption whether to send our MSS (SYNs)
   * @param windowScaleOption whether to offer window scaling (SYNs)
   * @param payload where the {@code len} payload bytes from sequence number {@code payloadSeq}
   *     come from (null when {@code len} is 0)
   */
  IOException transmit(Connection c, int seq, int ack, int flags, int window, boolean mssOption,
      boolean windowScaleOption, SendQueue payload, long payloadSeq, int len) {
    return transmit(c.key, c.local, seq, ack, flags, window, mssOption, windowScaleOption, payload,
        payloadSeq, len);
  }

  /** Returns why the IP layer could not send, or null. */
  private IOException transmit(Key key, IpAddress local, int seq, int ack, int flags, int window,
      boolean mssOption, boolean windowScaleOption, SendQueue payload, long payloadSeq, int len) {
    ByteBuffer b = Segment.start(key.localPort(), key.remotePort(), seq, ack, flags, window,
        mssOption ? Math.min(65535, ip.mtu(key.remote()) - 20) : -1,
        windowScaleOption ? windowShiftOffer : -1, len);
    if (len > 0) {
      payload.copy(payloadSeq, len, b);
    }
    Segment.seal(b, ip.pseudoHeaderSum(local, key.remote(), b.capacity()));
    counters.segmentsOut.incrementAndGet();
    try {
      ip.send(local, key.remote(), b);
      return null;
    } catch (IOException e) {
      return e; // treated as a loss: retransmission recovers
    }
  }
}
