package org.mirage4j.drivers.direct.tcp;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;
import org.mirage4j.drivers.direct.tcp.CongestionControl.DuplicateAck;

/** RFC 5681, RFC 6582, RFC 3042 and RFC 3390 without packets: the window arithmetic alone. */
class CongestionControlTest {

  static final int MSS = 1000;
  static final long ISS = 10_000;

  static CongestionControl opened(int mss) {
    CongestionControl cc = new CongestionControl();
    cc.start(ISS);
    cc.open(mss);
    return cc;
  }

  @Test
  void theInitialWindowFollowsRfc3390() {
    assertThat(opened(1460).cwnd()).isEqualTo(4380); // min(4 MSS, max(2 MSS, 4380))
    assertThat(opened(536).cwnd()).isEqualTo(2144); // 4 MSS
    assertThat(opened(4000).cwnd()).isEqualTo(8000); // 2 MSS
  }

  @Test
  void slowStartGrowsByWhatWasAcknowledgedAtMostOneMssPerAck() {
    CongestionControl cc = opened(MSS);
    long w = cc.cwnd();
    cc.newAck(ISS + 1 + MSS, MSS, 4 * MSS);
    assertThat(cc.cwnd()).isEqualTo(w + MSS);
    cc.newAck(ISS + 1 + MSS + 100, 100, 3 * MSS);
    assertThat(cc.cwnd()).isEqualTo(w + MSS + 100);
    cc.newAck(ISS + 1 + 4 * MSS, 3 * MSS - 100, 3 * MSS); // a stretch ACK still adds one MSS
    assertThat(cc.cwnd()).isEqualTo(w + 2 * MSS + 100);
  }

  @Test
  void congestionAvoidanceAddsAboutOneMssPerWindow() {
    CongestionControl cc = enterRecoveryAt(20 * MSS); // ssthresh = 10 MSS
    cc.newAck(cc.recover(), 20 * MSS, 30 * MSS); // full ACK, 10 MSS still out: cwnd = ssthresh
    long w = cc.cwnd();
    assertThat(w).isEqualTo(10 * MSS);
    assertThat(cc.cwnd()).isAtLeast(cc.ssthresh());
    long seq = cc.recover();
    for (int i = 0; i < 10; i++) {
      seq += MSS;
      cc.newAck(seq, MSS, w);
    }
    // MSS * MSS / cwnd per ACK: a little less than one MSS over a window of ten ACKs
    assertThat(cc.cwnd()).isAtLeast(w + 9 * MSS / 10);
    assertThat(cc.cwnd()).isAtMost(w + MSS);
  }

  @Test
  void limitedTransmitThenFastRetransmitOnTheThirdDuplicate() {
    CongestionControl cc = opened(MSS);
    long w = cc.cwnd();
    long una = ISS + 1;
    long max = una + 8 * MSS;
    assertThat(cc.window(Long.MAX_VALUE)).isEqualTo(w);
    assertThat(cc.duplicateAck(una, max)).isEqualTo(DuplicateAck.SEND);
    assertThat(cc.window(Long.MAX_VALUE)).isEqualTo(w + MSS); // RFC 3042
    assertThat(cc.duplicateAck(una, max)).isEqualTo(DuplicateAck.SEND);
    assertThat(cc.window(Long.MAX_VALUE)).isEqualTo(w + 2 * MSS);
    assertThat(cc.duplicateAck(una, max)).isEqualTo(DuplicateAck.FAST_RETRANSMIT);
    assertThat(cc.inRecovery()).isTrue();
    assertThat(cc.ssthresh()).isEqualTo(4 * MSS); // FlightSize / 2
    assertThat(cc.cwnd()).isEqualTo(7 * MSS); // ssthresh + 3 MSS
    assertThat(cc.recover()).isEqualTo(max);
    assertThat(cc.window(Long.MAX_VALUE)).isEqualTo(7 * MSS); // no limited transmit in recovery
  }

  @Test
  void ssthreshIsAtLeastTwoSegments() {
    CongestionControl cc = opened(MSS);
    long una = ISS + 1;
    for (int i = 0; i < 3; i++) {
      cc.duplicateAck(una, una + MSS);
    }
    assertThat(cc.ssthresh()).isEqualTo(2 * MSS);
  }

  @Test
  void furtherDuplicatesInflateTheWindowDuringRecovery() {
    CongestionControl cc = enterRecoveryAt(8 * MSS);
    long w = cc.cwnd();
    assertThat(cc.duplicateAck(ISS + 1, ISS + 1 + 8 * MSS)).isEqualTo(DuplicateAck.SEND);
    assertThat(cc.duplicateAck(ISS + 1, ISS + 1 + 8 * MSS)).isEqualTo(DuplicateAck.SEND);
    assertThat(cc.cwnd()).isEqualTo(w + 2 * MSS);
  }

  @Test
  void aPartialAckDeflatesAndAsksForTheNextHole() {
    CongestionControl cc = enterRecoveryAt(8 * MSS);
    long w = cc.cwnd();
    boolean partial = cc.newAck(ISS + 1 + 2 * MSS, 2 * MSS, 8 * MSS);
    assertThat(partial).isTrue();
    assertThat(cc.inRecovery()).isTrue();
    assertThat(cc.cwnd()).isEqualTo(w - 2 * MSS + MSS); // deflate, add back one MSS
    partial = cc.newAck(ISS + 1 + 2 * MSS + 10, 10, 6 * MSS);
    assertThat(partial).isTrue();
    assertThat(cc.cwnd()).isEqualTo(w - 2 * MSS + MSS - 10); // less than an MSS: nothing added
  }

  @Test
  void aFullAckEndsRecoveryWithTheWindowAtMostSsthresh() {
    CongestionControl cc = enterRecoveryAt(8 * MSS);
    boolean partial = cc.newAck(cc.recover(), 8 * MSS, 8 * MSS);
    assertThat(partial).isFalse();
    assertThat(cc.inRecovery()).isFalse();
    assertThat(cc.duplicateAcks()).isEqualTo(0);
    // min(ssthresh, max(FlightSize, MSS) + MSS) with nothing left in flight: 2 MSS
    assertThat(cc.cwnd()).isEqualTo(2 * MSS);
  }

  @Test
  void aFullAckWithDataStillInFlightDeflatesToSsthresh() {
    CongestionControl cc = enterRecoveryAt(8 * MSS);
    // 4 MSS sent during recovery are still in flight after the full ACK
    cc.newAck(cc.recover(), 8 * MSS, 12 * MSS);
    assertThat(cc.cwnd()).isEqualTo(cc.ssthresh());
  }

  @Test
  void aTimeoutCollapsesTheWindowAndHalvesSsthreshOnlyTheFirstTime() {
    CongestionControl cc = opened(MSS);
    long una = ISS + 1;
    cc.timeout(una, una + 10 * MSS, true);
    assertThat(cc.cwnd()).isEqualTo(MSS);
    assertThat(cc.ssthresh()).isEqualTo(5 * MSS);
    assertThat(cc.recover()).isEqualTo(una + 10 * MSS);
    cc.timeout(una, una + 2 * MSS, false); // backed off: ssthresh kept
    assertThat(cc.ssthresh()).isEqualTo(5 * MSS);
    assertThat(cc.cwnd()).isEqualTo(MSS);
  }

  @Test
  void noFastRetransmitForLossesOfTheWindowATimeoutAlreadyRecovered() {
    CongestionControl cc = opened(MSS);
    long una = ISS + 1;
    cc.timeout(una, una + 10 * MSS, true); // recover = una + 10 MSS
    long later = una + 3 * MSS; // still below recover (RFC 6582 4.1)
    cc.duplicateAck(later, una + 10 * MSS);
    cc.duplicateAck(later, una + 10 * MSS);
    assertThat(cc.duplicateAck(later, una + 10 * MSS)).isEqualTo(DuplicateAck.NONE);
    assertThat(cc.inRecovery()).isFalse();
  }

  @Test
  void aLossAmongTheSegmentsATimeoutSentAgainIsFastRetransmitted() {
    // RFC 6582 4.1, the ACK heuristic: after the timeout, slow start moves the ACK a segment or
    // two at a time; three duplicates then mean that a resent segment was lost again
    CongestionControl cc = opened(MSS);
    long una = ISS + 1;
    long max = una + 40 * MSS;
    cc.timeout(una, max, true); // recover = max
    cc.newAck(una + MSS, MSS, 40 * MSS);
    cc.newAck(una + 3 * MSS, 2 * MSS, 39 * MSS);
    long at = una + 3 * MSS;
    assertThat(cc.duplicateAck(at, max)).isEqualTo(DuplicateAck.SEND);
    assertThat(cc.duplicateAck(at, max)).isEqualTo(DuplicateAck.SEND);
    assertThat(cc.duplicateAck(at, max)).isEqualTo(DuplicateAck.FAST_RETRANSMIT);
    assertThat(cc.inRecovery()).isTrue();
    assertThat(cc.recover()).isEqualTo(max);
  }

  @Test
  void duplicatesAfterAnAckThatJumpedAreNotALoss() {
    // the receiver held the segments after the hole: filling it moved the ACK by 10 segments, and
    // the duplicates that follow come from segments resent needlessly
    CongestionControl cc = opened(MSS);
    long una = ISS + 1;
    long max = una + 40 * MSS;
    cc.timeout(una, max, true);
    cc.newAck(una + MSS, MSS, 40 * MSS);
    cc.newAck(una + 11 * MSS, 10 * MSS, 39 * MSS);
    long at = una + 11 * MSS;
    cc.duplicateAck(at, max);
    cc.duplicateAck(at, max);
    assertThat(cc.duplicateAck(at, max)).isEqualTo(DuplicateAck.NONE);
    assertThat(cc.inRecovery()).isFalse();
  }

  @Test
  void aTimeoutEndsRecovery() {
    CongestionControl cc = enterRecoveryAt(8 * MSS);
    cc.timeout(ISS + 1, ISS + 1 + 8 * MSS, true);
    assertThat(cc.inRecovery()).isFalse();
    assertThat(cc.duplicateAcks()).isEqualTo(0);
    assertThat(cc.window(Long.MAX_VALUE)).isEqualTo(MSS);
  }

  @Test
  void thePeersWindowBoundsWhatMayBeInFlight() {
    CongestionControl cc = opened(MSS);
    assertThat(cc.window(1500)).isEqualTo(1500);
    assertThat(cc.window(0)).isEqualTo(0);
  }

  @Test
  void theWindowHasACeiling() {
    CongestionControl cc = opened(MSS);
    long seq = ISS + 1;
    for (int i = 0; i < 2_000_000; i++) {
      seq += MSS;
      cc.newAck(seq, MSS, MSS);
    }
    assertThat(cc.cwnd()).isEqualTo(CongestionControl.MAX_CWND);
  }

  /** Three duplicate ACKs with {@code flight} outstanding from ISS + 1. */
  private static CongestionControl enterRecoveryAt(long flight) {
    CongestionControl cc = opened(MSS);
    long una = ISS + 1;
    for (int i = 0; i < 3; i++) {
      cc.duplicateAck(una, una + flight);
    }
    assertThat(cc.inRecovery()).isTrue();
    return cc;
  }
}
