package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import org.mirage4j.api.Flow;
import org.mirage4j.api.Ipv4;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.MonotonicClock;
import org.mirage4j.api.RandomSource;
import org.mirage4j.api.Tcp;
import org.mirage4j.api.TcpListener;
import org.mirage4j.drivers.direct.time.Scheduler;
import org.mirage4j.drivers.direct.wire.Checksum;

/**
 * TCP (RFC 9293) over the direct IPv4 layer.
 *
 * <p>Implemented: the full state machine including simultaneous open and close and TIME_WAIT;
 * sequence arithmetic modulo 2^32 (internally sequence numbers are kept unwrapped in 64 bits and
 * every wire value is unwrapped against the nearest reference, so nothing breaks across the wrap);
 * MSS and window-scale options (RFC 7323 section 2); retransmission timeout per RFC 6298 with Karn's
 * rule and exponential back-off; slow start, congestion avoidance, fast retransmit and NewReno fast
 * recovery (RFC 5681, RFC 6582); delayed ACKs (every second segment or after 40 ms); receiver and
 * sender silly-window avoidance; limited transmit (RFC 3042); zero-window probing; RST validation and challenge ACKs (RFC 5961);
 * a bounded SYN backlog per listener and globally, evicting the oldest half-open connection.
 *
 * <p>All protocol state is guarded by one lock; inbound segments arrive on the Ethernet receive
 * thread, timers run on the {@link Scheduler} derived from the clock.
 */
public final class TcpLayer implements Tcp {

  static final int SND_BUF = 256 * 1024;
  static final int RCV_BUF = 256 * 1024;
  static final long RTO_INITIAL = Duration.ofSeconds(1).toNanos();
  static final long RTO_MIN = Duration.ofMillis(200).toNanos();
  static final long RTO_MAX = Duration.ofSeconds(60).toNanos();
  static final long DELAYED_ACK = Duration.ofMillis(40).toNanos();
  static final long TIME_WAIT = Duration.ofSeconds(60).toNanos();
  static final long FIN_WAIT_2_ORPHAN = Duration.ofSeconds(60).toNanos();
  static final int SYN_RETRIES = 5;
  static final int SYNACK_RETRIES = 3;
  static final int DATA_RETRIES = 12;
  /** Most half-open (SYN_RECEIVED) connections of all listeners together. */
  static final int MAX_HALF_OPEN = 1024;
  /** Most half-open connections of one listener. */
  static final int MAX_HALF_OPEN_PER_LISTENER = 256;
  /** Most connections in TIME_WAIT; beyond it the oldest is dropped. */
  static final int MAX_TIME_WAIT = 4096;
  /** Most connections of any state. */
  static final int MAX_CONNECTIONS = 16384;
  /** Most out-of-order segments held per connection. */
  static final int MAX_OOO_SEGMENTS = 512;

  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int PSH = 0x08;
  static final int ACK = 0x10;

  enum State {
    SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK,
    TIME_WAIT, CLOSED
  }

  private final Ipv4 ipv4;
  private final Scheduler scheduler;
  private final RandomSource random;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Key, Conn> conns = new HashMap<>();
  private final Map<Integer, Listener> listeners = new HashMap<>();
  private final LinkedHashSet<Conn> halfOpen = new LinkedHashSet<>();
  private final LinkedHashSet<Conn> timeWait = new LinkedHashSet<>();
  private final AtomicLong segmentsIn = new AtomicLong();
  private final AtomicLong segmentsOut = new AtomicLong();
  private final AtomicLong retransmits = new AtomicLong();
  private final AtomicLong badSegments = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong fastRetransmits = new AtomicLong();
  final AtomicLong simultaneousOpens = new AtomicLong();
  final AtomicLong simultaneousCloses = new AtomicLong();
  final AtomicLong timeWaitsEntered = new AtomicLong();
  private final int rcvShiftOffer;
  /** Chooses initial sequence numbers; tests replace it to start near the 2^32 wrap. */
  volatile IntSupplier isnSource;

  private record Key(int remoteIp, int remotePort, int localPort) {}

  /** A parsed segment. */
  private record Seg(int seq, int ack, int flags, int window, ByteBuffer data, int mss, int wscale) {
    boolean has(int f) {
      return (flags & f) != 0;
    }

    int len() {
      return data.remaining() + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0);
    }
  }

  /**
   * TCP over {@code ipv4}.
   *
   * @param clock times retransmissions and the other timers (a {@link Scheduler} is used as is)
   * @param random chooses initial sequence numbers and ephemeral ports
   */
  public TcpLayer(Ipv4 ipv4, MonotonicClock clock, RandomSource random) {
    this.ipv4 = ipv4;
    this.scheduler = Scheduler.forClock(clock);
    this.random = random;
    int s = 0;
    while ((RCV_BUF >> s) > 65535) {
      s++;
    }
    this.rcvShiftOffer = s;
    this.isnSource = () -> (int) (random.nextLong() + scheduler.nanoTime() / 4000);
  }

  @Override
  public void connect() {
    ipv4.listen(Ipv4.TCP, this::input);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      for (Listener l : new ArrayList<>(listeners.values())) {
        l.closeLocked();
      }
      for (Conn c : new ArrayList<>(conns.values())) {
        if (c.state != State.TIME_WAIT) {
          sendReset(c);
        }
        c.fail(new SocketException("TCP layer closed"));
        remove(c);
      }
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- observability (tests, ops)

  /** Connections in any state. */
  public int connectionCount() {
    lock.lock();
    try {
      return conns.size();
    } finally {
      lock.unlock();
    }
  }

  /** Half-open connections (SYN_RECEIVED). */
  public int halfOpenCount() {
    lock.lock();
    try {
      return halfOpen.size();
    } finally {
      lock.unlock();
    }
  }

  /** Connections in TIME_WAIT. */
  public int timeWaitCount() {
    lock.lock();
    try {
      return timeWait.size();
    } finally {
      lock.unlock();
    }
  }

  /** Segments retransmitted (by timeout or fast retransmit). */
  public long retransmitCount() {
    return retransmits.get();
  }

  /** Retransmission timeouts that fired with data outstanding. */
  public long timeoutCount() {
    return timeouts.get();
  }

  /** Fast retransmits (third duplicate ACK). */
  public long fastRetransmitCount() {
    return fastRetransmits.get();
  }

  /** Segments dropped as malformed (bad checksum, bad header). */
  public long badSegmentCount() {
    return badSegments.get();
  }

  /** Total bytes held in out-of-order queues, for bounds checks. */
  int outOfOrderBytes() {
    lock.lock();
    try {
      int n = 0;
      for (Conn c : conns.values()) {
        n += c.oooBytes;
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- API

  @Override
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
      Listener l = new Listener(port, Math.max(1, backlog));
      listeners.put(port, l);
      return l;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Flow connect(InetSocketAddress remote, Duration timeout) throws IOException {
    return connect(remote, 0, timeout);
  }

  /** Opens a connection from a chosen local port (0: ephemeral); used for simultaneous open. */
  Flow connect(InetSocketAddress remote, int localPort, Duration timeout) throws IOException {
    if (!(remote.getAddress() instanceof Inet4Address a)) {
      throw new ConnectException("not an IPv4 address: " + remote);
    }
    Ipv4Address dst = Ipv4Address.of(a);
    lock.lock();
    Conn c;
    try {
      if (conns.size() >= MAX_CONNECTIONS) {
        throw new ConnectException("too many connections");
      }
      int port = localPort != 0 ? localPort : freePortLocked(new Key(dst.bits(), remote.getPort(), 0));
      if (conns.containsKey(new Key(dst.bits(), remote.getPort(), port))) {
        throw new BindException("connection " + port + " -> " + remote + " exists");
      }
      c = new Conn(new Key(dst.bits(), remote.getPort(), port), State.SYN_SENT);
      c.initSend(isnSource.getAsInt());
      conns.put(c.key, c);
      sendSyn(c);
      c.armRtx();
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
          sendReset(c);
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

  private void connectTimeout(Conn c) {
    lock.lock();
    try {
      if (c.state == State.SYN_SENT || c.state == State.SYN_RECEIVED) {
        c.fail(new SocketTimeoutException("connect to " + c.remote() + " timed out"));
        sendReset(c);
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
      if (remote != null && conns.containsKey(new Key(remote.remoteIp, remote.remotePort, p))) {
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
      if (k.localPort == port) {
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- input

  /** Handles one TCP segment (an IPv4 payload). */
  void input(Ipv4Address src, Ipv4Address dst, ByteBuffer p) {
    segmentsIn.incrementAndGet();
    int n = p.remaining();
    if (n < 20 || !dst.equals(ipv4.prefix().address())) {
      badSegments.incrementAndGet();
      return;
    }
    if (Checksum.finish(Checksum.add(Checksum.pseudo(src.bits(), dst.bits(), Ipv4.TCP, n), p, 0, n)) != 0) {
      badSegments.incrementAndGet();
      return;
    }
    int sport = p.getShort(0) & 0xffff;
    int dport = p.getShort(2) & 0xffff;
    int off = ((p.get(12) & 0xff) >>> 4) * 4;
    if (off < 20 || off > n || sport == 0 || dport == 0) {
      badSegments.incrementAndGet();
      return;
    }
    int flags = p.get(13) & 0x3f;
    int mss = -1;
    int ws = -1;
    int i = 20;
    while (i < off) {
      int kind = p.get(i) & 0xff;
      if (kind == 0) {
        break;
      }
      if (kind == 1) {
        i++;
        continue;
      }
      if (i + 1 >= off) {
        break;
      }
      int len = p.get(i + 1) & 0xff;
      if (len < 2 || i + len > off) {
        break;
      }
      if (kind == 2 && len == 4) {
        mss = p.getShort(i + 2) & 0xffff;
      } else if (kind == 3 && len == 3) {
        ws = Math.min(14, p.get(i + 2) & 0xff);
      }
      i += len;
    }
    Seg seg = new Seg(p.getInt(4), p.getInt(8), flags, p.getShort(14) & 0xffff, p.slice(off, n - off),
        mss, ws);
    lock.lock();
    try {
      Key key = new Key(src.bits(), sport, dport);
      Conn c = conns.get(key);
      if (c != null && c.state == State.TIME_WAIT && seg.has(SYN) && !seg.has(ACK) && !seg.has(RST)
          && unwrap(seg.seq, c.rcvNxt) > c.rcvNxt && listeners.containsKey(dport)) {
        // A new incarnation of the connection (RFC 9293 3.6.1, RFC 6191 without timestamps): a
        // SYN above the old sequence space ends TIME_WAIT early.
        remove(c);
        c = null;
      }
      if (c != null) {
        if (c.state == State.SYN_SENT) {
          synSent(c, seg);
        } else {
          established(c, seg);
        }
        return;
      }
      Listener l = listeners.get(dport);
      if (l != null && !l.closed) {
        listen(l, key, seg);
        return;
      }
      if (!seg.has(RST)) {
        resetFor(key, seg);
      }
    } finally {
      lock.unlock();
    }
  }

  private void listen(Listener l, Key key, Seg seg) {
    if (seg.has(RST)) {
      return;
    }
    if (seg.has(ACK)) {
      resetFor(key, seg);
      return;
    }
    if (!seg.has(SYN) || seg.has(FIN)) {
      return;
    }
    // Bounded SYN backlog: evict the oldest half-open connection of this listener (or of all).
    if (l.halfOpen.size() >= Math.min(MAX_HALF_OPEN_PER_LISTENER, Math.max(16, 2 * l.backlog))) {
      Conn old = l.halfOpen.iterator().next();
      remove(old);
    }
    if (halfOpen.size() >= MAX_HALF_OPEN) {
      remove(halfOpen.iterator().next());
    }
    if (conns.size() >= MAX_CONNECTIONS) {
      return;
    }
    Conn c = new Conn(key, State.SYN_RECEIVED);
    c.listener = l;
    c.initSend(isnSource.getAsInt());
    c.initReceive(seg);
    conns.put(key, c);
    halfOpen.add(c);
    l.halfOpen.add(c);
    sendSyn(c);
    c.armRtx();
  }

  private void synSent(Conn c, Seg seg) {
    long ack = unwrap(seg.ack, c.sndUna);
    if (seg.has(ACK) && (ack <= c.iss || ack > c.sndMax)) {
      if (!seg.has(RST)) {
        sendRaw(c.key, seg.ack, 0, RST, 0, null, 0, 0);
      }
      return;
    }
    if (seg.has(RST)) {
      if (seg.has(ACK)) {
        c.fail(new ConnectException("connection refused by " + c.remote()));
        remove(c);
      }
      return;
    }
    if (!seg.has(SYN)) {
      return;
    }
    c.initReceive(seg);
    if (seg.has(ACK)) {
      c.sndShift = (seg.wscale >= 0) ? seg.wscale : 0;
      if (seg.wscale < 0) {
        c.rcvShift = 0;
      }
      c.sndWnd = seg.window; // a SYN's window is never scaled
      c.sndWl1 = c.rcvNxt - 1;
      c.sndWl2 = ack;
      c.maxSndWnd = Math.max(c.maxSndWnd, c.sndWnd);
      ackNewData(c, ack);
      c.state = State.ESTABLISHED;
      c.cancelRtx();
      c.retries = 0;
      sendAck(c);
      c.changed.signalAll();
      output(c, false);
    } else {
      // Simultaneous open (RFC 9293 3.5, figure 8).
      simultaneousOpens.incrementAndGet();
      c.state = State.SYN_RECEIVED;
      if (seg.wscale < 0) {
        c.rcvShift = 0;
        c.wsOffered = false;
      } else {
        c.sndShift = seg.wscale;
      }
      c.sndWnd = seg.window;
      c.sndWl1 = c.rcvNxt - 1;
      c.sndWl2 = c.sndUna;
      sendSyn(c);
    }
  }

  private void established(Conn c, Seg seg) {
    long seq = unwrap(seg.seq, c.rcvNxt);
    int dataLen = seg.data.remaining();
    int segLen = seg.len();
    long wnd = Math.max(0, c.rcvAdvEdge - c.rcvNxt);
    boolean acceptable;
    if (segLen == 0) {
      acceptable = wnd == 0 ? seq == c.rcvNxt : seq >= c.rcvNxt && seq < c.rcvNxt + wnd;
    } else {
      acceptable = wnd > 0
          && ((seq >= c.rcvNxt && seq < c.rcvNxt + wnd)
              || (seq + segLen - 1 >= c.rcvNxt && seq + segLen - 1 < c.rcvNxt + wnd));
    }
    boolean ackOnly = false;
    if (!acceptable) {
      if (seg.has(RST)) {
        return;
      }
      if (c.state == State.SYN_RECEIVED && seg.has(SYN) && !seg.has(ACK) && seq == c.rcvNxt - 1) {
        sendSyn(c); // the peer's SYN again: our SYN-ACK was lost
        return;
      }
      if (wnd == 0 && seq == c.rcvNxt && seg.has(ACK)) {
        ackOnly = true; // zero window: still take the ACK (RFC 9293 3.10.7.4)
      } else {
        if (c.state == State.TIME_WAIT && seg.has(FIN)) {
          c.armTimeWait();
        }
        sendAck(c);
        return;
      }
    }
    if (seg.has(RST)) {
      if (seq == c.rcvNxt) {
        if (c.state == State.SYN_RECEIVED && c.listener != null) {
          remove(c); // back to LISTEN, silently
        } else {
          c.fail(new SocketException(c.state == State.SYN_RECEIVED
              ? "connection refused by " + c.remote() : "connection reset by " + c.remote()));
          remove(c);
        }
      } else {
        sendAck(c); // challenge ACK (RFC 5961 3.2)
      }
      return;
    }
    if (seg.has(SYN)) {
      sendAck(c); // challenge ACK (RFC 5961 4.2)
      return;
    }
    if (!seg.has(ACK)) {
      return;
    }
    long ack = unwrap(seg.ack, c.sndUna);
    if (c.state == State.SYN_RECEIVED) {
      if (ack > c.sndUna && ack <= c.sndMax) {
        c.state = State.ESTABLISHED;
        c.cancelRtx();
        c.retries = 0;
        c.sndWnd = (long) seg.window << c.sndShift;
        c.sndWl1 = seq;
        c.sndWl2 = ack;
        c.maxSndWnd = Math.max(c.maxSndWnd, c.sndWnd);
        halfOpen.remove(c);
        Listener l = c.listener;
        if (l != null) {
          l.halfOpen.remove(c);
          if (l.closed || l.queue.size() >= l.backlog) {
            sendReset(c);
            remove(c);
            return;
          }
          l.queue.add(c);
          l.ready.signal();
        }
        c.changed.signalAll();
      } else {
        sendRaw(c.key, seg.ack, 0, RST, 0, null, 0, 0);
        return;
      }
    }
    if (!processAck(c, seg, seq, ack, dataLen)) {
      return;
    }
    if (ackOnly) {
      sendAck(c);
      return;
    }
    // Text.
    boolean finInOrder = false;
    switch (c.state) {
      case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> finInOrder = receiveData(c, seg, seq, dataLen);
      case CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT -> {
        if (dataLen > 0 || seg.has(FIN)) {
          if (c.state == State.TIME_WAIT) {
            c.armTimeWait();
          }
          c.ackNow = true;
        }
      }
      default -> { }
    }
    if (finInOrder) {
      peerFin(c);
    }
    if (conns.get(c.key) != c) {
      return;
    }
    output(c, false);
    if (c.ackNow) {
      sendAck(c);
    } else if (c.unackedSegs > 0 && c.delackTimer == null) {
      c.delackTimer = scheduler.schedule(DELAYED_ACK, () -> delayedAck(c));
    }
  }

  /** Returns false when the segment must be dropped. */
  private boolean processAck(Conn c, Seg seg, long seq, long ack, int dataLen) {
    if (ack > c.sndMax) {
      sendAck(c);
      return false;
    }
    long newWnd = (long) seg.window << c.sndShift;
    // RFC 5681 asks for an unchanged window; a window that only grew is accepted too, because a
    // receiver whose application keeps reading during a loss would otherwise never trigger fast
    // retransmit.
    boolean dup = ack == c.sndUna && dataLen == 0 && !seg.has(FIN) && newWnd >= c.sndWnd
        && newWnd != 0 && c.sndMax > c.sndUna;
    if (ack >= c.sndUna - Math.max(c.maxSndWnd, 65535)) {
      if (c.sndWl1 < seq || (c.sndWl1 == seq && c.sndWl2 <= ack)) {
        c.sndWnd = newWnd;
        c.sndWl1 = seq;
        c.sndWl2 = ack;
        c.maxSndWnd = Math.max(c.maxSndWnd, newWnd);
        if (newWnd > 0) {
          c.writable.signalAll();
        }
      }
    }
    if (ack > c.sndUna) {
      ackNewData(c, ack);
    } else if (dup) {
      duplicateAck(c);
    } else if (ack == c.sndUna && newWnd == 0) {
      c.retries = 0; // the peer is alive, just full: keep probing
    }
    // State changes caused by our FIN being acknowledged.
    boolean finAcked = c.finSeq >= 0 && c.sndUna > c.finSeq;
    switch (c.state) {
      case FIN_WAIT_1 -> {
        if (finAcked) {
          c.state = State.FIN_WAIT_2;
          if (c.appClosed) {
            c.armOrphanTimer();
          }
        }
      }
      case CLOSING -> {
        if (finAcked) {
          enterTimeWait(c);
        }
      }
      case LAST_ACK -> {
        if (finAcked) {
          remove(c);
          return false;
        }
      }
      default -> { }
    }
    return true;
  }

  private void ackNewData(Conn c, long ack) {
    long acked = ack - c.sndUna;
    // RTT sample (Karn: only for segments never retransmitted).
    if (c.rttTiming && ack > c.rttSeq) {
      c.rttTiming = false;
      updateRto(c, scheduler.nanoTime() - c.rttStart);
    }
    long bufEnd = c.sndBufSeq + c.sndBuf.size();
    long dropTo = Math.min(ack, bufEnd);
    if (dropTo > c.sndBufSeq) {
      c.sndBuf.drop((int) (dropTo - c.sndBufSeq));
      c.sndBufSeq = dropTo;
      c.writable.signalAll();
    }
    long flight = c.sndMax - c.sndUna;
    // Congestion control (RFC 5681, RFC 6582).
    if (c.inRecovery) {
      if (ack >= c.recover) {
        c.cwnd = Math.min(c.ssthresh, Math.max(flight - acked, c.mss) + c.mss);
        c.inRecovery = false;
        c.dupAcks = 0;
      } else {
        c.sndUna = ack;
        retransmitFirst(c);
        c.cwnd = Math.max(c.mss, c.cwnd - acked + (acked >= c.mss ? c.mss : 0));
        c.restartRtx();
      }
    } else {
      c.dupAcks = 0;
      if (c.cwnd < c.ssthresh) {
        c.cwnd += Math.min(acked, c.mss);
      } else {
        c.cwnd += Math.max(1, (long) c.mss * c.mss / c.cwnd);
      }
    }
    c.cwnd = Math.min(c.cwnd, 1L << 30);
    c.sndUna = ack;
    if (c.sndNxt < c.sndUna) {
      c.sndNxt = c.sndUna;
    }
    c.retries = 0;
    c.backoff = 0;
    if (c.sndUna >= c.sndMax) {
      c.cancelRtx();
    } else if (!c.inRecovery) {
      c.restartRtx();
    }
  }

  private void duplicateAck(Conn c) {
    c.dupAcks++;
    if (!c.inRecovery && c.dupAcks <= 2) {
      output(c, false);
    }
    if (c.inRecovery) {
      c.cwnd += c.mss;
      output(c, false);
    } else if (c.dupAcks == 3 && c.sndUna >= c.recover) {
      long flight = c.sndMax - c.sndUna;
      c.ssthresh = Math.max(flight / 2, 2L * c.mss);
      c.recover = c.sndMax;
      c.inRecovery = true;
      c.rttTiming = false;
      fastRetransmits.incrementAndGet();
      retransmitFirst(c);
      c.cwnd = c.ssthresh + 3L * c.mss;
      c.restartRtx();
    }
  }

  private void updateRto(Conn c, long r) {
    if (c.srtt < 0) {
      c.srtt = r;
      c.rttvar = r / 2;
    } else {
      c.rttvar = (3 * c.rttvar + Math.abs(c.srtt - r)) / 4;
      c.srtt = (7 * c.srtt + r) / 8;
    }
    long g = 1_000_000; // 1 ms clock granularity
    c.rto = Math.min(RTO_MAX, Math.max(RTO_MIN, c.srtt + Math.max(g, 4 * c.rttvar)));
  }

  /** Returns true if a FIN became in order. */
  private boolean receiveData(Conn c, Seg seg, long seq, int dataLen) {
    ByteBuffer data = seg.data.duplicate();
    long start = seq;
    if (start < c.rcvNxt) {
      int skip = (int) Math.min(dataLen, c.rcvNxt - start);
      data.position(data.position() + skip);
      start += skip;
    }
    long edge = c.rcvAdvEdge;
    boolean finFits = true;
    if (start + data.remaining() > edge) {
      int keep = (int) Math.max(0, edge - start);
      data.limit(data.position() + keep);
      finFits = false;
    }
    if (seg.has(FIN) && finFits && !c.finReceived) {
      c.peerFinSeq = seq + dataLen;
    }
    if (dataLen > 0 || seg.has(FIN)) {
      if (start == c.rcvNxt) {
        boolean hadGap = !c.ooo.isEmpty();
        int n = c.rcvBuf.write(data, data.remaining());
        c.rcvNxt += n;
        drainOutOfOrder(c);
        if (n > 0) {
          c.readable.signalAll();
          c.unackedSegs++;
          if (c.unackedSegs >= 2 || hadGap || seg.has(PSH) && c.unackedSegs >= 2) {
            c.ackNow = true;
          }
        }
      } else if (data.remaining() > 0) {
        // Out of order: keep within limits, ACK at once (RFC 5681 4.2) to trigger fast retransmit.
        if (c.ooo.size() < MAX_OOO_SEGMENTS && !c.ooo.containsKey(start)
            && c.oooBytes + data.remaining() <= RCV_BUF) {
          byte[] b = new byte[data.remaining()];
          data.get(b);
          c.ooo.put(start, b);
          c.oooBytes += b.length;
        }
        c.ackNow = true;
      } else {
        c.ackNow = true;
      }
    }
    if (!c.finReceived && c.peerFinSeq >= 0 && c.peerFinSeq == c.rcvNxt) {
      return true;
    }
    return false;
  }

  private void drainOutOfOrder(Conn c) {
    while (!c.ooo.isEmpty()) {
      Map.Entry<Long, byte[]> e = c.ooo.firstEntry();
      long s = e.getKey();
      byte[] b = e.getValue();
      if (s > c.rcvNxt) {
        return;
      }
      c.ooo.pollFirstEntry();
      c.oooBytes -= b.length;
      long end = s + b.length;
      if (end > c.rcvNxt) {
        int skip = (int) (c.rcvNxt - s);
        int n = c.rcvBuf.write(b, skip, b.length - skip);
        c.rcvNxt += n;
      }
      c.ackNow = true;
    }
  }

  private void peerFin(Conn c) {
    c.finReceived = true;
    c.rcvNxt++;
    c.ackNow = true;
    c.readable.signalAll();
    switch (c.state) {
      case SYN_RECEIVED, ESTABLISHED -> c.state = State.CLOSE_WAIT;
      case FIN_WAIT_1 -> {
        if (c.finSeq >= 0 && c.sndUna > c.finSeq) {
          enterTimeWait(c);
        } else {
          simultaneousCloses.incrementAndGet();
          c.state = State.CLOSING;
        }
      }
      case FIN_WAIT_2 -> enterTimeWait(c);
      default -> { }
    }
    c.changed.signalAll();
  }

  private void enterTimeWait(Conn c) {
    timeWaitsEntered.incrementAndGet();
    c.state = State.TIME_WAIT;
    c.cancelRtx();
    if (c.orphanTimer != null) {
      c.orphanTimer.cancel();
    }
    timeWait.add(c);
    while (timeWait.size() > MAX_TIME_WAIT) {
      remove(timeWait.iterator().next());
    }
    c.armTimeWait();
    c.changed.signalAll();
    c.readable.signalAll();
  }

  // ---------------------------------------------------------------- output

  /** Sends what the windows allow. */
  private void output(Conn c, boolean probe) {
    switch (c.state) {
      case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> { }
      default -> {
        return;
      }
    }
    boolean sent = false;
    while (true) {
      long bufEnd = c.sndBufSeq + c.sndBuf.size();
      long unsent = bufEnd - c.sndNxt;
      // Limited transmit (RFC 3042): the first two duplicate ACKs each allow one new segment.
      long extra = c.inRecovery ? 0 : Math.min(c.dupAcks, 2) * (long) c.mss;
      long wnd = Math.min(c.sndWnd, c.cwnd + extra);
      long usable = c.sndUna + wnd - c.sndNxt;
      if (unsent > 0) {
        long len = Math.min(c.mss, Math.min(unsent, usable));
        if (len <= 0) {
          if (probe && c.sndNxt == c.sndUna) {
            len = 1; // zero-window probe
          } else {
            break;
          }
        } else if (len < c.mss && len < unsent && usable < c.maxSndWnd / 2 && !probe) {
          break; // sender silly-window avoidance
        }
        boolean fin = c.finSeq >= 0 && c.sndNxt + len == c.finSeq;
        sendData(c, c.sndNxt, (int) len, fin);
        sent = true;
        probe = false;
        continue;
      }
      if (c.finSeq >= 0 && c.sndNxt == c.finSeq) {
        sendData(c, c.sndNxt, 0, true);
        sent = true;
      }
      break;
    }
    long bufEnd = c.sndBufSeq + c.sndBuf.size();
    if (!sent && !c.rtxArmed && bufEnd > c.sndNxt && c.sndNxt == c.sndUna) {
      c.armRtx(); // persist timer: nothing in flight, window closed
    }
  }

  private void sendData(Conn c, long seq, int len, boolean fin) {
    boolean retransmission = seq < c.sndMax;
    int flags = ACK | (fin ? FIN : 0) | (len > 0 && seq + len == c.sndBufSeq + c.sndBuf.size() ? PSH : 0);
    sendSegment(c, seq, flags, len);
    long end = seq + len + (fin ? 1 : 0);
    if (retransmission) {
      retransmits.incrementAndGet();
      if (c.rttTiming && c.rttSeq > seq) {
        c.rttTiming = false;
      }
    } else if (!c.rttTiming && len > 0) {
      c.rttTiming = true;
      c.rttSeq = end;
      c.rttStart = scheduler.nanoTime();
    }
    if (end > c.sndNxt) {
      c.sndNxt = end;
    }
    if (c.sndNxt > c.sndMax) {
      c.sndMax = c.sndNxt;
    }
    if (!c.rtxArmed) {
      c.armRtx();
    }
  }

  /** Retransmits one segment at SND.UNA (fast retransmit, partial ACKs). */
  private void retransmitFirst(Conn c) {
    long bufEnd = c.sndBufSeq + c.sndBuf.size();
    long len = Math.min(c.mss, Math.max(0, bufEnd - c.sndUna));
    boolean fin = c.finSeq >= 0 && c.sndUna + len == c.finSeq;
    if (len == 0 && !fin) {
      return;
    }
    sendSegment(c, c.sndUna, ACK | (fin ? FIN : 0), (int) len);
    retransmits.incrementAndGet();
  }

  private void sendSyn(Conn c) {
    int flags = SYN | (c.state == State.SYN_RECEIVED ? ACK : 0);
    sendSegment(c, c.iss, flags, 0);
  }

  private void sendAck(Conn c) {
    if (c.state == State.CLOSED || c.state == State.SYN_SENT) {
      return;
    }
    sendSegment(c, c.sndNxt, ACK, 0);
  }

  private void sendReset(Conn c) {
    if (c.state == State.SYN_SENT) {
      sendRaw(c.key, (int) c.sndNxt, 0, RST, 0, null, 0, 0);
    } else {
      sendRaw(c.key, (int) c.sndNxt, (int) c.rcvNxt, RST | ACK, 0, null, 0, 0);
    }
  }

  private void resetFor(Key key, Seg seg) {
    if (seg.has(ACK)) {
      sendRaw(key, seg.ack, 0, RST, 0, null, 0, 0);
    } else {
      sendRaw(key, 0, seg.seq + seg.len(), RST | ACK, 0, null, 0, 0);
    }
  }

  private void sendSegment(Conn c, long seq, int flags, int len) {
    int window;
    if ((flags & SYN) != 0) {
      window = Math.min(RCV_BUF, 65535);
      c.rcvAdvEdge = c.rcvNxt + window;
    } else {
      window = advertise(c);
    }
    byte[] data = null;
    if (len > 0) {
      ByteBuffer b = ByteBuffer.allocate(len);
      c.sndBuf.peek((int) (seq - c.sndBufSeq), len, b);
      data = b.array();
    }
    int opts = 0;
    if ((flags & SYN) != 0) {
      opts = c.wsOffered ? 8 : 4;
    }
    sendRaw(c.key, (int) seq, (flags & ACK) != 0 ? (int) c.rcvNxt : 0, flags, window, data, len,
        opts == 0 ? 0 : (c.wsOffered ? 2 : 1));
    if ((flags & ACK) != 0) {
      c.ackNow = false;
      c.unackedSegs = 0;
      if (c.delackTimer != null) {
        c.delackTimer.cancel();
        c.delackTimer = null;
      }
    }
  }

  /** The window field to advertise now, never shrinking the right edge (RFC 9293 3.8.6.2.2). */
  private int advertise(Conn c) {
    long avail = RCV_BUF - c.rcvBuf.size();
    long newEdge = c.rcvNxt + avail;
    long edge = c.rcvAdvEdge;
    if (newEdge - edge >= Math.min(RCV_BUF / 2, c.mss) || edge < c.rcvNxt) {
      edge = Math.max(edge, newEdge);
    }
    long wnd = Math.max(0, edge - c.rcvNxt);
    int field = (int) Math.min(65535, wnd >> c.rcvShift);
    long advertised = c.rcvNxt + ((long) field << c.rcvShift);
    if (advertised > c.rcvAdvEdge) {
      c.rcvAdvEdge = advertised;
    }
    return field;
  }

  /**
   * Builds and sends one segment. {@code options}: 0 none, 1 MSS, 2 MSS and window scale.
   */
  private void sendRaw(Key key, int seq, int ack, int flags, int window, byte[] data, int len,
      int options) {
    int optLen = options == 0 ? 0 : options == 1 ? 4 : 8;
    int hl = 20 + optLen;
    ByteBuffer b = ByteBuffer.allocate(hl + len);
    b.putShort((short) key.localPort).putShort((short) key.remotePort).putInt(seq).putInt(ack);
    b.put((byte) ((hl / 4) << 4)).put((byte) flags).putShort((short) window).putShort((short) 0)
        .putShort((short) 0);
    if (options >= 1) {
      b.put((byte) 2).put((byte) 4).putShort((short) Math.min(65535, ipv4.mtu() - 20));
    }
    if (options == 2) {
      b.put((byte) 1).put((byte) 3).put((byte) 3).put((byte) rcvShiftOffer);
    }
    if (len > 0) {
      b.put(data, 0, len);
    }
    int src = ipv4.prefix().address().bits();
    long sum = Checksum.pseudo(src, key.remoteIp, Ipv4.TCP, hl + len);
    b.putShort(16, (short) Checksum.finish(Checksum.add(sum, b, 0, hl + len)));
    b.flip();
    segmentsOut.incrementAndGet();
    try {
      ipv4.send(new Ipv4Address(key.remoteIp), Ipv4.TCP, b);
    } catch (IOException e) {
      // Treated as a loss; retransmission recovers.
    }
  }

  // ---------------------------------------------------------------- timers

  private void onRtx(Conn c, Object token) {
    lock.lock();
    try {
      if (conns.get(c.key) != c || c.rtxToken != token) {
        return;
      }
      c.rtxTask = null;
      if (!c.rtxArmed) {
        return;
      }
      long now = scheduler.nanoTime();
      if (now < c.rtxDeadline) {
        c.scheduleRtxTask(now); // restarted since this task was set: sleep on
        return;
      }
      c.rtxArmed = false;
      switch (c.state) {
        case SYN_SENT, SYN_RECEIVED -> {
          int limit = c.state == State.SYN_SENT ? SYN_RETRIES : SYNACK_RETRIES;
          if (++c.retries > limit) {
            c.fail(new SocketTimeoutException("no answer from " + c.remote()));
            remove(c);
            return;
          }
          c.backoff++;
          retransmits.incrementAndGet();
          sendSyn(c);
          c.armRtx();
        }
        case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> {
          boolean persist = c.sndMax == c.sndUna;
          if (!persist) {
            timeouts.incrementAndGet();
            if (++c.retries > DATA_RETRIES) {
              c.fail(new SocketTimeoutException("connection to " + c.remote() + " timed out"));
              sendReset(c);
              remove(c);
              return;
            }
            if (c.backoff == 0) {
              c.ssthresh = Math.max((c.sndMax - c.sndUna) / 2, 2L * c.mss);
            }
            c.cwnd = c.mss;
            c.recover = c.sndMax;
            c.inRecovery = false;
            c.dupAcks = 0;
            c.rttTiming = false;
            c.sndNxt = c.sndUna; // go back N
          }
          c.backoff++;
          output(c, true);
          if (!c.rtxArmed && (c.sndMax > c.sndUna
              || c.sndBufSeq + c.sndBuf.size() > c.sndNxt)) {
            c.armRtx();
          }
        }
        default -> { }
      }
    } finally {
      lock.unlock();
    }
  }

  private void delayedAck(Conn c) {
    lock.lock();
    try {
      c.delackTimer = null;
      if (conns.get(c.key) == c && c.unackedSegs > 0) {
        sendAck(c);
      }
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- bookkeeping

  private void remove(Conn c) {
    if (conns.get(c.key) == c) {
      conns.remove(c.key);
    }
    halfOpen.remove(c);
    timeWait.remove(c);
    if (c.listener != null) {
      c.listener.halfOpen.remove(c);
      c.listener.queue.remove(c);
    }
    c.dropRtxTask();
    for (Scheduler.Timer t : new Scheduler.Timer[] {c.delackTimer, c.twTimer, c.orphanTimer,
        c.connectTimer}) {
      if (t != null) {
        t.cancel();
      }
    }
    c.state = State.CLOSED;
    c.ooo.clear();
    c.oooBytes = 0;
    c.changed.signalAll();
    c.readable.signalAll();
    c.writable.signalAll();
  }

  static long unwrap(int wire, long reference) {
    return reference + (int) (wire - (int) reference);
  }

  // ---------------------------------------------------------------- connection

  private final class Conn {
    final Key key;
    State state;
    final Condition changed = lock.newCondition();
    final Condition readable = lock.newCondition();
    final Condition writable = lock.newCondition();
    final FlowImpl flow = new FlowImpl(this);
    Listener listener;
    IOException error;

    long iss;
    long sndUna;
    long sndNxt;
    long sndMax;
    long sndWnd;
    long maxSndWnd;
    long sndWl1;
    long sndWl2;
    int sndShift;
    int rcvShift;
    boolean wsOffered = true;
    int mss = 536;
    final ByteRing sndBuf = new ByteRing(SND_BUF);
    long sndBufSeq;
    long finSeq = -1;

    long rcvNxt;
    long rcvAdvEdge;
    final ByteRing rcvBuf = new ByteRing(RCV_BUF);
    final TreeMap<Long, byte[]> ooo = new TreeMap<>();
    int oooBytes;
    long peerFinSeq = -1;
    boolean finReceived;
    int unackedSegs;
    boolean ackNow;

    long cwnd;
    long ssthresh = Long.MAX_VALUE / 4;
    int dupAcks;
    long recover;
    boolean inRecovery;

    long srtt = -1;
    long rttvar;
    long rto = RTO_INITIAL;
    int backoff;
    int retries;
    boolean rttTiming;
    long rttSeq;
    long rttStart;

    /** Whether the retransmission (or persist) timer runs, and until when. */
    boolean rtxArmed;
    long rtxDeadline;
    /**
     * The scheduled task behind it, which may fire before a deadline that moved later (restarting
     * the timer on every ACK then costs two field writes instead of a cancel and a reschedule).
     */
    Scheduler.Timer rtxTask;
    long rtxTaskAt;
    Object rtxToken;
    Scheduler.Timer delackTimer;
    Scheduler.Timer twTimer;
    Scheduler.Timer orphanTimer;
    Scheduler.Timer connectTimer;

    boolean appClosed;
    Duration readTimeout = Duration.ZERO;

    Conn(Key key, State state) {
      this.key = key;
      this.state = state;
      this.rcvShift = rcvShiftOffer;
    }

    void initSend(int isn) {
      iss = isn & 0xffffffffL;
      sndUna = iss;
      sndNxt = iss + 1;
      sndMax = sndNxt;
      sndBufSeq = iss + 1;
      recover = iss;
      int maxSeg = Math.max(64, ipv4.mtu() - 20);
      mss = Math.min(536, maxSeg);
    }

    void initReceive(Seg seg) {
      rcvNxt = (seg.seq & 0xffffffffL) + 1;
      rcvAdvEdge = rcvNxt;
      int maxSeg = Math.max(64, ipv4.mtu() - 20);
      mss = seg.mss > 0 ? Math.max(64, Math.min(seg.mss, maxSeg)) : Math.min(536, maxSeg);
      if (state == State.SYN_RECEIVED) {
        // passive open: answer with window scaling only if offered
        if (seg.wscale >= 0) {
          sndShift = seg.wscale;
        } else {
          wsOffered = false;
          rcvShift = 0;
        }
        sndWnd = seg.window;
        sndWl1 = rcvNxt - 1;
        sndWl2 = sndUna;
        maxSndWnd = sndWnd;
      }
      cwnd = Math.min(4L * mss, Math.max(2L * mss, 4380)); // RFC 3390 initial window
    }

    InetSocketAddress remote() {
      return new InetSocketAddress(new Ipv4Address(key.remoteIp).toInetAddress(), key.remotePort);
    }

    void fail(IOException e) {
      if (error == null) {
        error = e;
      }
      changed.signalAll();
      readable.signalAll();
      writable.signalAll();
    }

    long currentRto() {
      return Math.min(RTO_MAX, rto << Math.min(backoff, 16));
    }

    void armRtx() {
      long now = scheduler.nanoTime();
      rtxArmed = true;
      rtxDeadline = now + currentRto();
      if (rtxTask == null || rtxTaskAt > rtxDeadline) {
        scheduleRtxTask(now);
      }
    }

    void scheduleRtxTask(long now) {
      if (rtxTask != null) {
        rtxTask.cancel();
      }
      Object token = new Object();
      rtxToken = token;
      rtxTaskAt = rtxDeadline;
      rtxTask = scheduler.schedule(rtxDeadline - now, () -> onRtx(this, token));
    }

    void restartRtx() {
      armRtx();
    }

    /** Stops the timer; a task still scheduled finds it disarmed and does nothing. */
    void cancelRtx() {
      rtxArmed = false;
    }

    void dropRtxTask() {
      rtxArmed = false;
      if (rtxTask != null) {
        rtxTask.cancel();
        rtxTask = null;
      }
      rtxToken = null;
    }

    void armTimeWait() {
      if (twTimer != null) {
        twTimer.cancel();
      }
      twTimer = scheduler.schedule(TIME_WAIT, () -> {
        lock.lock();
        try {
          if (conns.get(key) == this && state == State.TIME_WAIT) {
            remove(this);
          }
        } finally {
          lock.unlock();
        }
      });
    }

    void armOrphanTimer() {
      if (orphanTimer != null) {
        return;
      }
      orphanTimer = scheduler.schedule(FIN_WAIT_2_ORPHAN, () -> {
        lock.lock();
        try {
          if (conns.get(key) == this && state == State.FIN_WAIT_2) {
            remove(this);
          }
        } finally {
          lock.unlock();
        }
      });
    }
  }

  private final class FlowImpl implements Flow {
    private final Conn c;
    private boolean closed;
    private boolean outputShut;

    FlowImpl(Conn c) {
      this.c = c;
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
      if (!into.hasRemaining()) {
        return 0;
      }
      lock.lock();
      try {
        boolean[] timedOut = {false};
        Scheduler.Timer timer = null;
        try {
          while (c.rcvBuf.size() == 0) {
            if (closed) {
              throw new ClosedChannelException();
            }
            if (c.finReceived) {
              return -1;
            }
            if (c.error != null) {
              throw new SocketException(c.error.getMessage());
            }
            if (c.state == State.CLOSED) {
              throw new SocketException("connection closed");
            }
            if (timedOut[0]) {
              throw new SocketTimeoutException("read timed out");
            }
            if (timer == null && !c.readTimeout.isZero()) {
              timer = scheduler.schedule(c.readTimeout.toNanos(), () -> {
                lock.lock();
                try {
                  timedOut[0] = true;
                  c.readable.signalAll();
                } finally {
                  lock.unlock();
                }
              });
            }
            c.readable.await();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("read interrupted");
        } finally {
          if (timer != null) {
            timer.cancel();
          }
        }
        long before = c.rcvAdvEdge;
        int n = c.rcvBuf.read(into);
        // Window update when the right edge can move by a useful amount.
        long newEdge = c.rcvNxt + Math.min(RCV_BUF - c.rcvBuf.size(), 65535L << c.rcvShift);
        boolean useful = newEdge - before >= RCV_BUF / 2
            || (before - c.rcvNxt < c.mss && newEdge - before >= c.mss);
        if (useful && conns.get(c.key) == c && c.state != State.SYN_RECEIVED && !c.finReceived) {
          sendAck(c);
        }
        return n;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
      lock.lock();
      try {
        while (data.hasRemaining()) {
          if (closed || outputShut) {
            throw new ClosedChannelException();
          }
          if (c.error != null) {
            throw new SocketException(c.error.getMessage());
          }
          if (c.state != State.ESTABLISHED && c.state != State.CLOSE_WAIT) {
            throw new SocketException("connection is " + c.state);
          }
          int free = c.sndBuf.free();
          if (free == 0) {
            try {
              c.writable.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new InterruptedIOException("write interrupted");
            }
            continue;
          }
          c.sndBuf.write(data, data.remaining());
          output(c, false);
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void shutdownOutput() throws IOException {
      lock.lock();
      try {
        if (closed) {
          throw new ClosedChannelException();
        }
        shutdownLocked();
      } finally {
        lock.unlock();
      }
    }

    private void shutdownLocked() {
      if (outputShut) {
        return;
      }
      outputShut = true;
      if (c.finSeq >= 0) {
        return;
      }
      switch (c.state) {
        case ESTABLISHED -> c.state = State.FIN_WAIT_1;
        case CLOSE_WAIT -> c.state = State.LAST_ACK;
        default -> {
          return;
        }
      }
      c.finSeq = c.sndBufSeq + c.sndBuf.size();
      output(c, false);
    }

    @Override
    public void readTimeout(Duration timeout) {
      lock.lock();
      try {
        c.readTimeout = timeout == null ? Duration.ZERO : timeout;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public InetSocketAddress localAddress() {
      return new InetSocketAddress(ipv4.prefix().address().toInetAddress(), c.key.localPort);
    }

    @Override
    public InetSocketAddress remoteAddress() {
      return c.remote();
    }

    @Override
    public void close() {
      lock.lock();
      try {
        if (closed) {
          return;
        }
        closed = true;
        c.appClosed = true;
        c.readable.signalAll();
        c.writable.signalAll();
        if (conns.get(c.key) != c) {
          return;
        }
        if (c.rcvBuf.size() > 0 || c.state == State.SYN_SENT || c.state == State.SYN_RECEIVED) {
          // Unread data is lost: tell the peer (RFC 9293 3.10.4, as BSD and Linux do).
          sendReset(c);
          remove(c);
          return;
        }
        shutdownLocked();
        if (c.state == State.FIN_WAIT_2) {
          c.armOrphanTimer();
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private final class Listener implements TcpListener {
    final int port;
    final int backlog;
    final ArrayDeque<Conn> queue = new ArrayDeque<>();
    final LinkedHashSet<Conn> halfOpen = new LinkedHashSet<>();
    final Condition ready = lock.newCondition();
    boolean closed;

    Listener(int port, int backlog) {
      this.port = port;
      this.backlog = backlog;
    }

    @Override
    public Flow accept() throws IOException {
      lock.lock();
      try {
        while (queue.isEmpty() && !closed) {
          ready.await();
        }
        if (closed) {
          throw new ClosedChannelException();
        }
        return queue.poll().flow;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("accept interrupted");
      } finally {
        lock.unlock();
      }
    }

    @Override
    public int port() {
      return port;
    }

    @Override
    public void close() {
      lock.lock();
      try {
        closeLocked();
      } finally {
        lock.unlock();
      }
    }

    void closeLocked() {
      if (closed) {
        return;
      }
      closed = true;
      listeners.remove(port, this);
      List<Conn> doomed = new ArrayList<>(halfOpen);
      doomed.addAll(queue);
      for (Iterator<Conn> it = doomed.iterator(); it.hasNext(); ) {
        Conn c = it.next();
        sendReset(c);
        remove(c);
      }
      ready.signalAll();
    }
  }
}
