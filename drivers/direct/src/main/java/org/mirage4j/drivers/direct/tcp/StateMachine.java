package org.mirage4j.drivers.direct.tcp;

import static org.mirage4j.drivers.direct.tcp.Segment.ACK;
import static org.mirage4j.drivers.direct.tcp.Segment.FIN;
import static org.mirage4j.drivers.direct.tcp.Segment.PSH;
import static org.mirage4j.drivers.direct.tcp.Segment.RST;
import static org.mirage4j.drivers.direct.tcp.Segment.SYN;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * What arriving segments and expiring retransmission timers do to a connection: RFC 9293 3.10.7
 * ("SEGMENT ARRIVES") for SYN_SENT and the synchronized states, in the RFC's order of checks
 * (sequence acceptability with its four window cases, RST, SYN, ACK, text, FIN), with RFC 5961's
 * challenge ACKs; and 3.10.8 ("Timeouts") for the retransmission and persist timer, with the
 * give-up limits. LISTEN and CLOSED are the {@link ConnectionTable}'s. Runs under the table's lock.
 */
final class StateMachine {

  private final ConnectionTable table;

  StateMachine(ConnectionTable table) {
    this.table = table;
  }

  // ---------------------------------------------------------------- SYN_SENT (RFC 9293 3.10.7.3)

  void synSent(Connection c, Segment seg) {
    long ack = Sequence.unwrap(seg.ack(), c.sndUna);
    if (seg.has(ACK) && (ack <= c.iss || ack > c.sndMax)) {
      if (!seg.has(RST)) {
        table.transmit(c, seg.ack(), 0, RST, 0, false, false, null, 0, 0);
      }
      return;
    }
    if (seg.has(RST)) {
      if (seg.has(ACK)) {
        c.fail(new ConnectException("connection refused by " + c.remote()));
        table.remove(c);
      }
      return;
    }
    if (!seg.has(SYN)) {
      return;
    }
    c.initReceive(seg);
    if (seg.has(ACK)) {
      c.sndShift = (seg.wscale() >= 0) ? seg.wscale() : 0;
      if (seg.wscale() < 0) {
        c.rcvShift = 0;
      }
      c.sndWnd = seg.window(); // a SYN's window is never scaled
      c.sndWl1 = c.receive.next() - 1;
      c.sndWl2 = ack;
      c.maxSndWnd = Math.max(c.maxSndWnd, c.sndWnd);
      newDataAcknowledged(c, ack);
      c.state = State.ESTABLISHED;
      c.rtx.stop();
      c.retries = 0;
      c.sendAck();
      c.changed.signalAll();
      c.output(false);
    } else {
      // Simultaneous open (RFC 9293 3.5, figure 8).
      table.counters.simultaneousOpens.incrementAndGet();
      c.state = State.SYN_RECEIVED;
      if (seg.wscale() < 0) {
        c.rcvShift = 0;
        c.wsOffered = false;
      } else {
        c.sndShift = seg.wscale();
      }
      c.sndWnd = seg.window();
      c.sndWl1 = c.receive.next() - 1;
      c.sndWl2 = c.sndUna;
      c.sendSyn();
    }
  }

  // ---------------------------------------------------------------- synchronized states (3.10.7.4)

  void segmentArrives(Connection c, Segment seg) {
    long rcvNxt = c.receive.next();
    long seq = Sequence.unwrap(seg.seq(), rcvNxt);
    int dataLen = seg.data().remaining();
    int segLen = seg.len();
    long wnd = Math.max(0, c.rcvAdvEdge - rcvNxt);
    boolean acceptable;
    if (segLen == 0) {
      acceptable = wnd == 0 ? seq == rcvNxt : seq >= rcvNxt && seq < rcvNxt + wnd;
    } else {
      acceptable = wnd > 0
          && ((seq >= rcvNxt && seq < rcvNxt + wnd)
              || (seq + segLen - 1 >= rcvNxt && seq + segLen - 1 < rcvNxt + wnd));
    }
    boolean ackOnly = false;
    if (!acceptable) {
      if (seg.has(RST)) {
        return;
      }
      if (c.state == State.SYN_RECEIVED && seg.has(SYN) && !seg.has(ACK) && seq == rcvNxt - 1) {
        c.sendSyn(); // the peer's SYN again: our SYN-ACK was lost
        return;
      }
      if (wnd == 0 && seq == rcvNxt && seg.has(ACK)) {
        ackOnly = true; // zero window: still take the ACK (RFC 9293 3.10.7.4)
      } else {
        if (c.state == State.TIME_WAIT && seg.has(FIN)) {
          c.armTimeWait();
        }
        c.sendAck();
        return;
      }
    }
    if (seg.has(RST)) {
      if (seq == rcvNxt) {
        if (c.state == State.SYN_RECEIVED && c.listener != null) {
          table.remove(c); // back to LISTEN, silently
        } else {
          c.fail(new SocketException(c.state == State.SYN_RECEIVED
              ? "connection refused by " + c.remote() : "connection reset by " + c.remote()));
          table.remove(c);
        }
      } else {
        c.sendAck(); // challenge ACK (RFC 5961 3.2)
      }
      return;
    }
    if (seg.has(SYN)) {
      c.sendAck(); // challenge ACK (RFC 5961 4.2)
      return;
    }
    if (!seg.has(ACK)) {
      return;
    }
    long ack = Sequence.unwrap(seg.ack(), c.sndUna);
    if (c.state == State.SYN_RECEIVED) {
      if (ack > c.sndUna && ack <= c.sndMax) {
        c.state = State.ESTABLISHED;
        c.rtx.stop();
        c.retries = 0;
        c.sndWnd = (long) seg.window() << c.sndShift;
        c.sndWl1 = seq;
        c.sndWl2 = ack;
        c.maxSndWnd = Math.max(c.maxSndWnd, c.sndWnd);
        if (!table.handOver(c)) {
          return;
        }
        c.changed.signalAll();
      } else {
        table.transmit(c, seg.ack(), 0, RST, 0, false, false, null, 0, 0);
        return;
      }
    }
    if (!processAck(c, seg, seq, ack, dataLen)) {
      return;
    }
    if (ackOnly) {
      c.sendAck();
      return;
    }
    // Text.
    boolean finInOrder = false;
    switch (c.state) {
      case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> finInOrder = receiveText(c, seg, seq, dataLen);
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
    if (!table.isCurrent(c)) {
      return;
    }
    c.output(false);
    if (c.ackNow) {
      c.sendAck();
    } else {
      c.delayAck();
    }
  }

  /** The ACK field and the window update; returns false when the segment must be dropped. */
  private boolean processAck(Connection c, Segment seg, long seq, long ack, int dataLen) {
    if (ack > c.sndMax) {
      c.sendAck();
      return false;
    }
    long newWnd = (long) seg.window() << c.sndShift;
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
      newDataAcknowledged(c, ack);
    } else if (dup) {
      duplicateAck(c);
    } else if (ack == c.sndUna && newWnd == 0) {
      c.retries = 0; // the peer is alive, just full: keep probing
    }
    // State changes caused by our FIN being acknowledged.
    boolean finAcked = c.send.finQueued() && c.sndUna > c.send.fin();
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
          table.remove(c);
          return false;
        }
      }
      default -> { }
    }
    return true;
  }

  /** SND.UNA advances to {@code ack}: RTT sample, send queue, congestion window, timer. */
  private void newDataAcknowledged(Connection c, long ack) {
    long acked = ack - c.sndUna;
    c.rtx.acknowledged(ack);
    if (c.send.acknowledge(ack)) {
      c.writable.signalAll();
    }
    long flight = c.sndMax - c.sndUna;
    if (c.cc.newAck(ack, acked, flight)) {
      // Partial ACK in fast recovery: the next hole is lost too.
      c.sndUna = ack;
      c.retransmitFirst();
      c.rtx.start();
    }
    c.sndUna = ack;
    if (c.sndNxt < c.sndUna) {
      c.sndNxt = c.sndUna;
    }
    c.retries = 0;
    c.rtx.resetBackoff();
    if (c.sndUna >= c.sndMax) {
      c.rtx.stop();
    } else if (!c.cc.inRecovery()) {
      c.rtx.start();
    }
  }

  private void duplicateAck(Connection c) {
    switch (c.cc.duplicateAck(c.sndUna, c.sndMax)) {
      case SEND -> c.output(false);
      case FAST_RETRANSMIT -> {
        c.rtx.stopTiming();
        table.counters.fastRetransmits.incrementAndGet();
        c.retransmitFirst();
        c.rtx.start();
      }
      case NONE -> { }
    }
  }

  /** Takes the segment's text into the receive queue; returns true if a FIN became in order. */
  private boolean receiveText(Connection c, Segment seg, long seq, int dataLen) {
    ByteBuffer data = seg.data().duplicate();
    long start = seq;
    long rcvNxt = c.receive.next();
    if (start < rcvNxt) {
      int skip = (int) Math.min(dataLen, rcvNxt - start);
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
      if (start == rcvNxt) {
        boolean hadGap = c.receive.hasHeld();
        int n = c.receive.append(data);
        if (c.receive.drainHeld() > 0) {
          c.ackNow = true;
        }
        if (n > 0) {
          c.readable.signalAll();
          c.unackedSegs++;
          if (c.unackedSegs >= 2 || hadGap || seg.has(PSH) && c.unackedSegs >= 2) {
            c.ackNow = true;
          }
        }
      } else if (data.remaining() > 0) {
        // Out of order: keep within limits, ACK at once (RFC 5681 4.2) to trigger fast retransmit.
        c.receive.hold(start, data);
        c.ackNow = true;
      } else {
        c.ackNow = true;
      }
    }
    return !c.finReceived && c.peerFinSeq >= 0 && c.peerFinSeq == c.receive.next();
  }

  private void peerFin(Connection c) {
    c.finReceived = true;
    c.receive.passFin();
    c.ackNow = true;
    c.readable.signalAll();
    switch (c.state) {
      case SYN_RECEIVED, ESTABLISHED -> c.state = State.CLOSE_WAIT;
      case FIN_WAIT_1 -> {
        if (c.send.finQueued() && c.sndUna > c.send.fin()) {
          enterTimeWait(c);
        } else {
          table.counters.simultaneousCloses.incrementAndGet();
          c.state = State.CLOSING;
        }
      }
      case FIN_WAIT_2 -> enterTimeWait(c);
      default -> { }
    }
    c.changed.signalAll();
  }

  private void enterTimeWait(Connection c) {
    table.counters.timeWaitsEntered.incrementAndGet();
    c.state = State.TIME_WAIT;
    c.rtx.stop();
    if (c.orphanTimer != null) {
      c.orphanTimer.cancel();
    }
    table.addTimeWait(c);
    c.armTimeWait();
    c.changed.signalAll();
    c.readable.signalAll();
  }

  // ---------------------------------------------------------------- timeouts (3.10.8)

  /** The retransmission (or persist) timer's task came due. */
  void retransmissionTimerFired(Connection c, Object token) {
    table.lock.lock();
    try {
      if (!table.isCurrent(c) || !c.rtx.expire(token)) {
        return;
      }
      switch (c.state) {
        case SYN_SENT, SYN_RECEIVED -> {
          int limit = c.state == State.SYN_SENT
              ? TcpParameters.SYN_RETRIES : TcpParameters.SYNACK_RETRIES;
          if (++c.retries > limit) {
            c.fail(new SocketTimeoutException("no answer from " + c.remote()));
            table.remove(c);
            return;
          }
          c.rtx.backOff();
          table.counters.retransmits.incrementAndGet();
          c.sendSyn();
          c.rtx.start();
        }
        case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> {
          boolean persist = c.sndMax == c.sndUna;
          if (!persist) {
            table.counters.timeouts.incrementAndGet();
            if (++c.retries > TcpParameters.DATA_RETRIES) {
              c.fail(new SocketTimeoutException("connection to " + c.remote() + " timed out"));
              c.sendReset();
              table.remove(c);
              return;
            }
            c.cc.timeout(c.sndUna, c.sndMax, c.rtx.backoff() == 0);
            c.rtx.stopTiming();
            c.sndNxt = c.sndUna; // go back N
          }
          c.rtx.backOff();
          c.output(true);
          if (!c.rtx.armed() && (c.sndMax > c.sndUna || c.send.end() > c.sndNxt)) {
            c.rtx.start();
          }
        }
        default -> { }
      }
    } finally {
      table.lock.unlock();
    }
  }
}
