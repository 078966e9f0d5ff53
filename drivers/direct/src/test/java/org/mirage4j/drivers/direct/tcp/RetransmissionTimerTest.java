package org.mirage4j.drivers.direct.tcp;

import static com.google.common.truth.Truth.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 6298 without packets: the estimator, Karn's rule, back-off and the timer, on a mock clock. */
class RetransmissionTimerTest {

  static final long MS = 1_000_000L;
  static final long S = 1000 * MS;

  ManualScheduler clock;
  RetransmissionTimer timer;
  /** The tokens of tasks that came due, and whether the timer said it expired. */
  final List<Boolean> fired = new ArrayList<>();

  @BeforeEach
  void setUp() {
    clock = new ManualScheduler();
    timer = new RetransmissionTimer(clock, token -> fired.add(timer.expire(token)));
  }

  @Test
  void beforeAnySampleTheRtoIsOneSecond() {
    assertThat(timer.srtt()).isEqualTo(-1);
    assertThat(timer.rto()).isEqualTo(1 * S);
    timer.start();
    clock.advance(999 * MS);
    assertThat(fired).isEmpty();
    assertThat(timer.armed()).isTrue();
    clock.advance(1 * MS);
    assertThat(fired).containsExactly(true);
    assertThat(timer.armed()).isFalse();
  }

  @Test
  void theFirstSampleSetsSrttAndHalfOfItAsRttvar() {
    timer.sample(100 * MS);
    assertThat(timer.srtt()).isEqualTo(100 * MS);
    assertThat(timer.rttvar()).isEqualTo(50 * MS);
    assertThat(timer.rto()).isEqualTo(300 * MS); // SRTT + 4 RTTVAR
  }

  @Test
  void laterSamplesAreSmoothedWithAlphaAnEighthAndBetaAQuarter() {
    timer.sample(100 * MS);
    timer.sample(200 * MS);
    // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5; SRTT = 7/8 * 100 + 1/8 * 200 = 112.5
    assertThat(timer.rttvar()).isEqualTo(62_500_000L);
    assertThat(timer.srtt()).isEqualTo(112_500_000L);
    assertThat(timer.rto()).isEqualTo(112_500_000L + 4 * 62_500_000L);
  }

  @Test
  void theRtoStaysBetweenItsBounds() {
    for (int i = 0; i < 50; i++) {
      timer.sample(1 * MS);
    }
    assertThat(timer.rto()).isEqualTo(TcpParameters.RTO_MIN);
    timer.sample(100 * S);
    assertThat(timer.rto()).isEqualTo(TcpParameters.RTO_MAX);
  }

  @Test
  void theClockGranularityBoundsTheVarianceTerm() {
    RetransmissionTimer t = new RetransmissionTimer(clock, token -> { });
    for (int i = 0; i < 200; i++) {
      t.sample(500 * MS); // RTTVAR decays to 0
    }
    assertThat(t.rttvar()).isLessThan(TcpParameters.CLOCK_GRANULARITY / 4);
    assertThat(t.rto()).isEqualTo(500 * MS + TcpParameters.CLOCK_GRANULARITY);
  }

  @Test
  void backOffDoublesTheRtoUpToItsMaximumAndAnAckResetsIt() {
    assertThat(timer.currentRto()).isEqualTo(1 * S);
    timer.backOff();
    assertThat(timer.currentRto()).isEqualTo(2 * S);
    timer.backOff();
    assertThat(timer.currentRto()).isEqualTo(4 * S);
    for (int i = 0; i < 40; i++) {
      timer.backOff();
    }
    assertThat(timer.currentRto()).isEqualTo(TcpParameters.RTO_MAX);
    timer.resetBackoff();
    assertThat(timer.currentRto()).isEqualTo(1 * S);
  }

  @Test
  void aBackedOffTimerExpiresAfterTheLongerRto() {
    timer.backOff();
    timer.start();
    clock.advance(1999 * MS);
    assertThat(fired).isEmpty();
    clock.advance(1 * MS);
    assertThat(fired).containsExactly(true);
  }

  @Test
  void anAcknowledgedTimedSegmentGivesOneSample() {
    timer.sent(1000);
    clock.advance(30 * MS);
    timer.sent(2000); // a second segment is not timed while the first is
    clock.advance(10 * MS);
    timer.acknowledged(1000); // not beyond the timed segment's end
    assertThat(timer.srtt()).isEqualTo(-1);
    timer.acknowledged(1001);
    assertThat(timer.srtt()).isEqualTo(40 * MS);
    assertThat(timer.timing()).isFalse();
    clock.advance(10 * MS);
    timer.acknowledged(2001); // no longer timed
    assertThat(timer.srtt()).isEqualTo(40 * MS);
  }

  @Test
  void karnsRuleTakesNoSampleFromRetransmittedData() {
    timer.sent(1000);
    clock.advance(300 * MS);
    timer.retransmitted(1200); // above the timed segment: it still counts
    assertThat(timer.timing()).isTrue();
    timer.retransmitted(500); // covers the timed segment
    assertThat(timer.timing()).isFalse();
    clock.advance(10 * MS);
    timer.acknowledged(1001);
    assertThat(timer.srtt()).isEqualTo(-1);
  }

  @Test
  void restartingMovesTheDeadlineWithoutRescheduling() {
    timer.start();
    clock.advance(600 * MS);
    timer.start(); // an ACK: the deadline moves to 1.6 s, the task stays at 1 s
    assertThat(clock.pending()).isEqualTo(1);
    clock.advance(400 * MS);
    assertThat(fired).containsExactly(false); // woke early, slept on
    assertThat(timer.armed()).isTrue();
    clock.advance(599 * MS);
    assertThat(fired).containsExactly(false);
    clock.advance(1 * MS);
    assertThat(fired).containsExactly(false, true).inOrder();
  }

  @Test
  void anEarlierDeadlineReschedulesAndTheOldTaskIsStale() {
    timer.backOff();
    timer.start(); // 2 s
    timer.resetBackoff();
    timer.start(); // 1 s: earlier than the task, so a new task replaces it
    assertThat(clock.pending()).isEqualTo(1);
    clock.advance(1 * S);
    assertThat(fired).containsExactly(true);
    clock.advance(5 * S);
    assertThat(fired).containsExactly(true);
  }

  @Test
  void aStoppedTimerDoesNothingWhenItsTaskComesDue() {
    timer.start();
    timer.stop();
    clock.advance(2 * S);
    assertThat(fired).containsExactly(false);
    assertThat(clock.pending()).isEqualTo(0);
  }

  @Test
  void aReleasedTimerCancelsItsTask() {
    timer.start();
    timer.release();
    assertThat(clock.pending()).isEqualTo(0);
    clock.advance(2 * S);
    assertThat(fired).isEmpty();
  }

  @Test
  void aTaskThatRanLateWithAStaleTokenChangesNothing() {
    timer.backOff();
    timer.start(); // task 1 at 2 s
    timer.resetBackoff();
    timer.start(); // task 2 at 1 s replaces it; task 1 may still be running on another thread
    clock.scheduled.get(0).run(); // task 1 gets the owner's lock after all
    assertThat(fired).containsExactly(false);
    assertThat(timer.armed()).isTrue();
    clock.advance(1 * S);
    assertThat(fired).containsExactly(false, true).inOrder();
  }
}
