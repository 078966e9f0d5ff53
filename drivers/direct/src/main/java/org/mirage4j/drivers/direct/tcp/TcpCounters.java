package org.mirage4j.drivers.direct.tcp;

import java.util.concurrent.atomic.AtomicLong;

/** What one TCP layer counts, for tests, benchmarks and operators. */
public final class TcpCounters {
  /** Segments handed up by the IP layer. */
  public final AtomicLong segmentsIn = new AtomicLong();
  /** Segments sent. */
  public final AtomicLong segmentsOut = new AtomicLong();
  /** Segments retransmitted (by timeout or fast retransmit, SYNs included). */
  public final AtomicLong retransmits = new AtomicLong();
  /** Segments dropped as malformed (bad checksum, bad header, not to our address). */
  public final AtomicLong badSegments = new AtomicLong();
  /** Retransmission timeouts that fired with data outstanding. */
  public final AtomicLong timeouts = new AtomicLong();
  /** Fast retransmits (third duplicate ACK). */
  public final AtomicLong fastRetransmits = new AtomicLong();
  /** Active opens that met the peer's SYN (RFC 9293 3.5, figure 8). */
  public final AtomicLong simultaneousOpens = new AtomicLong();
  /** Closes that met the peer's FIN before ours was acknowledged (FIN_WAIT_1 to CLOSING). */
  public final AtomicLong simultaneousCloses = new AtomicLong();
  /** Connections that entered TIME_WAIT. */
  public final AtomicLong timeWaitsEntered = new AtomicLong();
}
