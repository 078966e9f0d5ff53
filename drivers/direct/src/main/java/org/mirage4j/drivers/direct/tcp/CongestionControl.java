package org.mirage4j.drivers.direct.tcp;

/**
 * The sender's congestion control: slow start and congestion avoidance (RFC 5681 3.1), fast
 * retransmit and NewReno fast recovery (RFC 5681 3.2, RFC 6582), limited transmit (RFC 3042), the
 * initial window of RFC 3390, and the reaction to a retransmission timeout (RFC 5681 3.1, equation
 * 4, and RFC 6582's {@code recover}, with its ACK heuristic of section 4.1 for losses among the
 * segments a timeout sent again). It only does the arithmetic: the connection tells it what
 * arrived and carries out what it answers.
 *
 * <p>Deviation: a duplicate ACK whose window grew still counts as duplicate (RFC 5681 asks for an
 * identical window); that decision is the caller's.
 */
final class CongestionControl {

  /** The largest congestion window. */
  static final long MAX_CWND = 1L << 30;

  /** What to do after a duplicate ACK. */
  enum DuplicateAck {
    /** Nothing. */
    NONE,
    /** Send what the (possibly inflated or extended) window now allows. */
    SEND,
    /** Third duplicate: retransmit the first unacknowledged segment and restart the timer. */
    FAST_RETRANSMIT
  }

  private int mss;
  private long cwnd;
  private long ssthresh = Long.MAX_VALUE / 4;
  private int dupAcks;
  private long recover;
  private boolean inRecovery;
  // the last two cumulative ACKs that acknowledged new data (RFC 6582 4.1: highest_ack and
  // prev_highest_ack)
  private long highestAck;
  private long prevHighestAck;

  /** Starts a connection whose initial send sequence number is {@code iss}. */
  void start(long iss) {
    recover = iss;
    highestAck = iss;
    prevHighestAck = iss;
  }

  /** Sets the segment size once the handshake fixed it, and the initial window of RFC 3390. */
  void open(int mss) {
    this.mss = mss;
    cwnd = Math.min(4L * mss, Math.max(2L * mss, 4380));
  }

  long cwnd() {
    return cwnd;
  }

  long ssthresh() {
    return ssthresh;
  }

  int duplicateAcks() {
    return dupAcks;
  }

  boolean inRecovery() {
    return inRecovery;
  }

  /** The highest sequence number sent when the last loss was detected (RFC 6582). */
  long recover() {
    return recover;
  }

  /**
   * How much may be in flight: the smaller of the peer's window and the congestion window, the
   * latter extended by one segment for each of the first two duplicate ACKs (limited transmit).
   */
  long window(long peerWindow) {
    long extra = inRecovery ? 0 : Math.min(dupAcks, 2) * (long) mss;
    return Math.min(peerWindow, cwnd + extra);
  }

  /**
   * An ACK acknowledged new data.
   *
   * @param ack the new SND.UNA
   * @param acked how many sequence numbers it acknowledged
   * @param flight how many were outstanding before it (SND.MAX - SND.UNA)
   * @return true for a partial ACK during fast recovery: the caller retransmits the first
   *     unacknowledged segment and restarts the retransmission timer (RFC 6582 3.2)
   */
  boolean newAck(long ack, long acked, long flight) {
    prevHighestAck = highestAck;
    highestAck = ack;
    boolean partial = false;
    if (inRecovery) {
      if (ack >= recover) {
        // Full acknowledgment (RFC 6582 3.2): cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS).
        cwnd = Math.min(ssthresh, Math.max(flight - acked, mss) + mss);
        inRecovery = false;
        dupAcks = 0;
      } else {
        // Partial acknowledgment (RFC 6582 3.2): deflate by the amount acknowledged, add back one
        // segment if it covered one.
        cwnd = Math.max(mss, cwnd - acked + (acked >= mss ? mss : 0));
        partial = true;
      }
    } else {
      dupAcks = 0;
      if (cwnd < ssthresh) {
        cwnd += Math.min(acked, mss); // slow start (RFC 5681 equation 2)
      } else {
        cwnd += Math.max(1, (long) mss * mss / cwnd); // congestion avoidance (equation 3)
      }
    }
    cwnd = Math.min(cwnd, MAX_CWND);
    return partial;
  }

  /**
   * A duplicate ACK arrived.
   *
   * @param sndUna SND.UNA
   * @param sndMax the highest sequence number sent
   */
  DuplicateAck duplicateAck(long sndUna, long sndMax) {
    dupAcks++;
    if (inRecovery) {
      cwnd += mss; // inflate for the segment that left the network
      return DuplicateAck.SEND;
    }
    if (dupAcks <= 2) {
      return DuplicateAck.SEND; // limited transmit
    }
    if (dupAcks == 3 && (sndUna >= recover || lossAmongResentSegments())) {
      ssthresh = Math.max((sndMax - sndUna) / 2, 2L * mss); // equation 4
      recover = sndMax;
      inRecovery = true;
      cwnd = ssthresh + 3L * mss;
      return DuplicateAck.FAST_RETRANSMIT;
    }
    return DuplicateAck.NONE;
  }

  /**
   * RFC 6582 4.1's ACK heuristic, for three duplicate ACKs below {@code recover} (the segments a
   * timeout sends again): when the last cumulative ACK moved by at most 4 segments and the window
   * has grown past one segment, the receiver is not acknowledging segments it already held (which
   * moves the ACK by many segments at once), so the duplicates report a new loss. Without it, each
   * segment lost again after a timeout costs another timeout.
   */
  private boolean lossAmongResentSegments() {
    return cwnd > mss && highestAck - prevHighestAck <= 4L * mss;
  }

  /**
   * The retransmission timer expired with data outstanding: one segment of window, go back to
   * slow start.
   *
   * @param firstTimeout whether this is the first expiry for this data (no back-off yet); only then
   *     is ssthresh lowered, so that repeated timeouts do not shrink it to nothing
   */
  void timeout(long sndUna, long sndMax, boolean firstTimeout) {
    if (firstTimeout) {
      ssthresh = Math.max((sndMax - sndUna) / 2, 2L * mss);
    }
    cwnd = mss;
    recover = sndMax;
    inRecovery = false;
    dupAcks = 0;
  }
}
