package org.mirage4j.drivers.direct.tcp;

import static org.mirage4j.drivers.direct.tcp.Segment.ACK;
import static org.mirage4j.drivers.direct.tcp.Segment.FIN;
import static org.mirage4j.drivers.direct.tcp.Segment.PSH;
import static org.mirage4j.drivers.direct.tcp.Segment.RST;
import static org.mirage4j.drivers.direct.tcp.Segment.SYN;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import org.mirage4j.api.IpAddress;
import org.mirage4j.drivers.direct.time.Scheduler;

/**
 * One connection: its control block (RFC 9293 3.3.1: the send and receive sequence variables,
 * the windows, the queues, the timers) and its send path (what the windows allow, ACKs, SYNs,
 * resets, the advertised window). What arriving segments and expiring timers do to it is the
 * {@link StateMachine}'s; the application sees it as a {@link TcpFlow}.
 *
 * <p>Every field is guarded by the {@link ConnectionTable}'s lock.
 */
final class Connection {

  /** Identifies a connection: the peer's address and port, and our port. */
  record Key(IpAddress remote, int remotePort, int localPort) {}

  final ConnectionTable table;
  final Key key;
  /** Our address on this connection (the destination of the peer's segments). */
  final IpAddress local;
  State state;
  /** Signalled when the state changes or the connection fails. */
  final Condition changed;
  /** Signalled when data, a FIN or an error arrives. */
  final Condition readable;
  /** Signalled when the send queue has room, the peer's window opens, or the connection fails. */
  final Condition writable;
  final TcpFlow flow;
  /** The listener of a passive open, until the connection is accepted or gone. */
  PortListener listener;
  /** Why the connection failed, once it did. */
  IOException error;

  // Send sequence variables.
  long iss;
  long sndUna;
  long sndNxt;
  /** The highest sequence number sent (SND.NXT goes back to SND.UNA after a timeout). */
  long sndMax;
  long sndWnd;
  /** The largest window the peer offered (for sender silly-window avoidance). */
  long maxSndWnd;
  long sndWl1;
  long sndWl2;
  /** The peer's window-scale shift (applies to windows it sends). */
  int sndShift;
  int mss = TcpParameters.DEFAULT_MSS;
  final SendQueue send = new SendQueue(TcpParameters.SND_BUF);

  // Receive side.
  final ReceiveQueue receive =
      new ReceiveQueue(TcpParameters.RCV_BUF, TcpParameters.MAX_OOO_SEGMENTS);
  /** Our window-scale shift (applies to windows we send). */
  int rcvShift;
  /** Whether our SYN offers (or offered) window scaling. */
  boolean wsOffered = true;
  /** The right edge of the window we advertised; never moved left (RFC 9293 3.8.6.2.2). */
  long rcvAdvEdge;
  /** Where the peer's FIN is, once a FIN within the window arrived; -1 before. */
  long peerFinSeq = -1;
  boolean finReceived;
  /** In-order segments received since our last ACK (delayed ACK). */
  int unackedSegs;
  /** Whether an ACK must go out now rather than be delayed. */
  boolean ackNow;

  final CongestionControl cc = new CongestionControl();
  final RetransmissionTimer rtx;
  /** Consecutive retransmissions without progress, against the give-up limits. */
  int retries;

  Scheduler.Timer delackTimer;
  Scheduler.Timer twTimer;
  Scheduler.Timer orphanTimer;
  Scheduler.Timer connectTimer;

  /** Whether the application closed its flow. */
  boolean appClosed;
  Duration readTimeout = Duration.ZERO;

  Connection(ConnectionTable table, Key key, IpAddress local, State state) {
    this.table = table;
    this.key = key;
    this.local = local;
    this.state = state;
    this.changed = table.lock.newCondition();
    this.readable = table.lock.newCondition();
    this.writable = table.lock.newCondition();
    this.flow = new TcpFlow(this);
    this.rcvShift = table.windowShiftOffer;
    this.rtx = new RetransmissionTimer(table.scheduler,
        token -> table.machine.retransmissionTimerFired(this, token));
  }

  /** Chooses the initial send sequence number (from the table's generator) and our MSS. */
  void initSend(int isn) {
    iss = Sequence.initial(isn);
    sndUna = iss;
    sndNxt = iss + 1;
    sndMax = sndNxt;
    send.startAt(iss + 1);
    cc.start(iss);
    mss = Math.min(TcpParameters.DEFAULT_MSS, largestSegment());
  }

  /** Takes what the peer's SYN says: its sequence number, MSS, window scaling and window. */
  void initReceive(Segment seg) {
    receive.startAt(Sequence.initial(seg.seq()) + 1);
    rcvAdvEdge = receive.next();
    int maxSeg = largestSegment();
    mss = seg.mss() > 0
        ? Math.max(TcpParameters.MIN_MSS, Math.min(seg.mss(), maxSeg))
        : Math.min(TcpParameters.DEFAULT_MSS, maxSeg);
    if (state == State.SYN_RECEIVED) {
      // Passive open: answer with window scaling only if offered.
      if (seg.wscale() >= 0) {
        sndShift = seg.wscale();
      } else {
        wsOffered = false;
        rcvShift = 0;
      }
      sndWnd = seg.window();
      sndWl1 = receive.next() - 1;
      sndWl2 = sndUna;
      maxSndWnd = sndWnd;
    }
    cc.open(mss);
  }

  private int largestSegment() {
    return Math.max(TcpParameters.MIN_MSS, table.ip.mtu(key.remote()) - 20);
  }

  InetSocketAddress remote() {
    return new InetSocketAddress(key.remote().toInetAddress(), key.remotePort());
  }

  /** Records why the connection failed (the first reason wins) and wakes every waiter. */
  void fail(IOException e) {
    if (error == null) {
      error = e;
    }
    changed.signalAll();
    readable.signalAll();
    writable.signalAll();
  }

  // ---------------------------------------------------------------- sending

  /**
   * Sends what the windows allow: full segments, or the rest of the queue, or (sender
   * silly-window avoidance) less only when the usable window is at least half the largest the
   * peer offered; then the FIN when its turn comes. With {@code probe}, a closed window still
   * lets one byte through (zero-window probe). Starts the persist timer when data waits for a
   * closed window with nothing in flight.
   */
  void output(boolean probe) {
    switch (state) {
      case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> { }
      default -> {
        return;
      }
    }
    boolean sent = false;
    while (true) {
      long unsent = send.end() - sndNxt;
      long usable = sndUna + cc.window(sndWnd) - sndNxt;
      if (unsent > 0) {
        long len = Math.min(mss, Math.min(unsent, usable));
        if (len <= 0) {
          if (probe && sndNxt == sndUna) {
            len = 1; // zero-window probe
          } else {
            break;
          }
        } else if (len < mss && len < unsent && usable < maxSndWnd / 2 && !probe) {
          break; // sender silly-window avoidance
        }
        boolean fin = send.finQueued() && sndNxt + len == send.fin();
        sendData(sndNxt, (int) len, fin);
        sent = true;
        probe = false;
        continue;
      }
      if (send.finQueued() && sndNxt == send.fin()) {
        sendData(sndNxt, 0, true);
        sent = true;
      }
      break;
    }
    if (!sent && !rtx.armed() && send.end() > sndNxt && sndNxt == sndUna) {
      rtx.start(); // persist timer: nothing in flight, window closed
    }
  }

  /** Sends {@code len} queued bytes from {@code seq} (and the FIN), new or retransmitted. */
  private void sendData(long seq, int len, boolean fin) {
    boolean retransmission = seq < sndMax;
    int flags = ACK | (fin ? FIN : 0) | (len > 0 && seq + len == send.end() ? PSH : 0);
    sendSegment(seq, flags, len);
    long end = seq + len + (fin ? 1 : 0);
    if (retransmission) {
      table.counters.retransmits.incrementAndGet();
      rtx.retransmitted(seq);
    } else if (len > 0) {
      rtx.sent(end);
    }
    if (end > sndNxt) {
      sndNxt = end;
    }
    if (sndNxt > sndMax) {
      sndMax = sndNxt;
    }
    if (!rtx.armed()) {
      rtx.start();
    }
  }

  /** Retransmits one segment at SND.UNA (fast retransmit, partial ACKs). */
  void retransmitFirst() {
    long len = Math.min(mss, Math.max(0, send.end() - sndUna));
    boolean fin = send.finQueued() && sndUna + len == send.fin();
    if (len == 0 && !fin) {
      return;
    }
    sendSegment(sndUna, ACK | (fin ? FIN : 0), (int) len);
    table.counters.retransmits.incrementAndGet();
  }

  /**
   * Our SYN (active open) or SYN-ACK (passive or simultaneous open).
   *
   * @return why the IP layer could not send it (no route), or null
   */
  IOException sendSyn() {
    int flags = SYN | (state == State.SYN_RECEIVED ? ACK : 0);
    return sendSegment(iss, flags, 0);
  }

  /** An ACK of what we received, with the current window. */
  void sendAck() {
    if (state == State.CLOSED || state == State.SYN_SENT) {
      return;
    }
    sendSegment(sndNxt, ACK, 0);
  }

  /** Resets the connection at the peer (RFC 9293 3.5.2). */
  void sendReset() {
    if (state == State.SYN_SENT) {
      table.transmit(this, Sequence.wire(sndNxt), 0, RST, 0, false, false, null, 0, 0);
    } else {
      table.transmit(this, Sequence.wire(sndNxt), Sequence.wire(receive.next()), RST | ACK, 0,
          false, false, null, 0, 0);
    }
  }

  private IOException sendSegment(long seq, int flags, int len) {
    boolean syn = (flags & SYN) != 0;
    int window;
    if (syn) {
      window = Math.min(TcpParameters.RCV_BUF, 65535); // a SYN's window is never scaled
      rcvAdvEdge = receive.next() + window;
    } else {
      window = advertise();
    }
    IOException failure = table.transmit(this, Sequence.wire(seq),
        (flags & ACK) != 0 ? Sequence.wire(receive.next()) : 0, flags, window, syn,
        syn && wsOffered, send, seq, len);
    if ((flags & ACK) != 0) {
      ackNow = false;
      unackedSegs = 0;
      if (delackTimer != null) {
        delackTimer.cancel();
        delackTimer = null;
      }
    }
    return failure;
  }

  /**
   * The window field to advertise now. The right edge never moves left (RFC 9293 3.8.6.2.2) and
   * moves right only by at least min(half the buffer, one MSS) (receiver silly-window avoidance).
   */
  private int advertise() {
    long next = receive.next();
    long avail = TcpParameters.RCV_BUF - receive.size();
    long newEdge = next + avail;
    long edge = rcvAdvEdge;
    if (newEdge - edge >= Math.min(TcpParameters.RCV_BUF / 2, mss) || edge < next) {
      edge = Math.max(edge, newEdge);
    }
    long wnd = Math.max(0, edge - next);
    int field = (int) Math.min(65535, wnd >> rcvShift);
    long advertised = next + ((long) field << rcvShift);
    if (advertised > rcvAdvEdge) {
      rcvAdvEdge = advertised;
    }
    return field;
  }

  // ---------------------------------------------------------------- timers other than RTO

  /** Schedules the delayed ACK (RFC 1122 4.2.3.2) when segments wait for one and none is due. */
  void delayAck() {
    if (unackedSegs > 0 && delackTimer == null) {
      delackTimer = table.scheduler.schedule(TcpParameters.DELAYED_ACK, this::delayedAckDue);
    }
  }

  private void delayedAckDue() {
    table.lock.lock();
    try {
      delackTimer = null;
      if (table.isCurrent(this) && unackedSegs > 0) {
        sendAck();
      }
    } finally {
      table.lock.unlock();
    }
  }

  /** (Re)starts the 2 MSL timer of TIME_WAIT. */
  void armTimeWait() {
    if (twTimer != null) {
      twTimer.cancel();
    }
    twTimer = removeAfter(TcpParameters.TIME_WAIT, State.TIME_WAIT);
  }

  /** Bounds how long a FIN_WAIT_2 that no application will read waits for the peer's FIN. */
  void armOrphanTimer() {
    if (orphanTimer == null) {
      orphanTimer = removeAfter(TcpParameters.FIN_WAIT_2_ORPHAN, State.FIN_WAIT_2);
    }
  }

  /** A timer that removes this connection if it is still in {@code state} when it fires. */
  private Scheduler.Timer removeAfter(long delayNanos, State state) {
    return table.scheduler.schedule(delayNanos, () -> {
      table.lock.lock();
      try {
        if (table.isCurrent(this) && this.state == state) {
          table.remove(this);
        }
      } finally {
        table.lock.unlock();
      }
    });
  }

  /** The connection is gone: stops every timer, drops held data, wakes every waiter. */
  void release() {
    rtx.release();
    for (Scheduler.Timer t : new Scheduler.Timer[] {delackTimer, twTimer, orphanTimer,
        connectTimer}) {
      if (t != null) {
        t.cancel();
      }
    }
    state = State.CLOSED;
    receive.clearHeld();
    changed.signalAll();
    readable.signalAll();
    writable.signalAll();
  }
}
