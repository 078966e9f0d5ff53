package org.mirage4j.drivers.direct.tcp;

import java.time.Duration;

/** The direct stack's TCP constants: buffer sizes, timers, retry counts and the bounds on state. */
public final class TcpParameters {
  private TcpParameters() {}

  /** Most bytes queued for sending per connection (the buffer grows on demand up to this). */
  public static final int SND_BUF = 256 * 1024;
  /** Most bytes received and not yet read per connection (grows on demand up to this). */
  public static final int RCV_BUF = 256 * 1024;

  /** The retransmission timeout before any RTT sample (RFC 6298 2.1). */
  public static final long RTO_INITIAL = Duration.ofSeconds(1).toNanos();
  /** The smallest RTO (RFC 6298 2.4 recommends 1 s; 200 ms is what Linux uses). */
  public static final long RTO_MIN = Duration.ofMillis(200).toNanos();
  /** The largest RTO, back-off included (RFC 6298 2.5). */
  public static final long RTO_MAX = Duration.ofSeconds(60).toNanos();
  /** The clock granularity G of RFC 6298 2.2. */
  public static final long CLOCK_GRANULARITY = Duration.ofMillis(1).toNanos();
  /** How long an ACK may be delayed (RFC 1122 4.2.3.2 allows up to 500 ms). */
  public static final long DELAYED_ACK = Duration.ofMillis(40).toNanos();
  /** 2 MSL. */
  public static final long TIME_WAIT = Duration.ofSeconds(60).toNanos();
  /** How long a FIN_WAIT_2 whose application closed waits for the peer's FIN. */
  public static final long FIN_WAIT_2_ORPHAN = Duration.ofSeconds(60).toNanos();

  /** SYN retransmissions before an active open gives up. */
  public static final int SYN_RETRIES = 5;
  /** SYN-ACK retransmissions before a half-open connection is dropped. */
  public static final int SYNACK_RETRIES = 3;
  /** Data retransmissions before a connection is reset. */
  public static final int DATA_RETRIES = 12;

  /** Most half-open (SYN_RECEIVED) connections of all listeners together. */
  public static final int MAX_HALF_OPEN = 1024;
  /** Most half-open connections of one listener. */
  public static final int MAX_HALF_OPEN_PER_LISTENER = 256;
  /** Most connections in TIME_WAIT; beyond it the oldest is dropped. */
  public static final int MAX_TIME_WAIT = 4096;
  /** Most connections of any state. */
  public static final int MAX_CONNECTIONS = 16384;
  /** Most out-of-order segments held per connection. */
  public static final int MAX_OOO_SEGMENTS = 512;

  /** The MSS assumed when the peer sends none (RFC 9293 3.7.1). */
  public static final int DEFAULT_MSS = 536;
  /** The smallest MSS we accept from a peer or use ourselves. */
  public static final int MIN_MSS = 64;
}
