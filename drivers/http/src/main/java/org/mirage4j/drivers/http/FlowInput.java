package org.mirage4j.drivers.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.mirage4j.api.Flow;
import org.mirage4j.api.SelectableFlow;

/**
 * Buffered reading of a {@link Flow}: lines with a length budget and raw bytes, under the time
 * rules of the part of a request being read.
 *
 * <ul>
 *   <li>Between requests ({@link #awaitRequest}): the wait for the first byte is bounded by the
 *       server's watchdog; once it is here, the whole head must arrive by the head deadline.
 *   <li>A head ({@link #headBy}): everything by one deadline.
 *   <li>A body ({@link #bodyRate}): no read may wait longer than the stall timeout, and in every
 *       period of the stall timeout at least {@code minRate} bytes per second must arrive.
 * </ul>
 *
 * A rule that is broken ends the read with {@link SocketTimeoutException} ({@link TooSlow} for the
 * rate).
 */
final class FlowInput {

  /** Told when the first byte of a request arrives after a wait between requests. */
  interface Listener {
    void requestBegins();
  }

  private static final int INITIAL = 4096;

  private final Flow flow;
  private final int maxBuffer;
  private byte[] buffer;
  private final Listener listener;
  private int position;
  private int limit;
  private Duration currentTimeout = Duration.ZERO; // a new flow's

  // the rule in force
  private long deadline; // System.nanoTime(), 0 for none
  private Duration perRead = Duration.ZERO; // ZERO: none
  private boolean waiting; // between requests, no byte of the next one yet
  private boolean announce; // tell the listener when the first byte of the request arrives
  private boolean watchedWait; // no byte yet, and the caller's watchdog bounds the wait: read untimed
  private long headTimeoutNanos;
  private long minRate; // bytes per second, 0 for none
  private long windowNanos;
  private long windowStart;
  private long windowBytes;
  private boolean started;

  /**
   * Input from {@code flow} through a buffer that grows as long lines need, up to {@code
   * maxBufferSize}.
   */
  FlowInput(Flow flow, int maxBufferSize, Listener listener) {
    this.flow = flow;
    this.maxBuffer = Math.max(INITIAL, maxBufferSize);
    this.buffer = new byte[INITIAL];
    this.listener = listener;
  }

  /** Whether unread bytes are already buffered (a pipelined request has begun). */
  boolean hasBuffered() {
    return position < limit;
  }

  /** Whether any byte of the current request has arrived. */
  boolean requestStarted() {
    return started;
  }

  /**
   * A head that must be complete by {@code deadlineNanos} (0: no deadline).
   *
   * @param watched whether the caller bounds the wait for the first byte itself (the server's
   *     watchdog closes a connection that waits too long): that wait is then an untimed read, which
   *     on the socket stack keeps the socket in blocking mode, one system call per read
   */
  void headBy(long deadlineNanos, boolean watched) {
    deadline = deadlineNanos;
    perRead = Duration.ZERO;
    waiting = false;
    minRate = 0;
    started = hasBuffered();
    announce = !started;
    watchedWait = watched && !started;
  }

  /**
   * Waits for the next request on a persistent connection: for its first byte as long as the
   * server's watchdog lets the connection wait (an untimed read), then {@code headTimeout} for its
   * whole head.
   */
  void awaitRequest(Duration headTimeout) {
    minRate = 0;
    headTimeoutNanos = headTimeout.toNanos();
    if (hasBuffered()) {
      waiting = false;
      announce = false;
      watchedWait = false;
      started = true;
      deadline = headTimeout.isZero() ? 0 : System.nanoTime() + headTimeoutNanos;
      perRead = Duration.ZERO;
    } else {
      waiting = true;
      announce = true;
      watchedWait = true;
      started = false;
      deadline = 0;
      perRead = Duration.ZERO;
    }
  }

  /**
   * Reads a body: no read waits longer than {@code stall}, and in every period of {@code stall} at
   * least {@code minRate} bytes per second arrive (0: no rate).
   */
  void bodyRate(Duration stall, long minRate) {
    deadline = 0;
    waiting = false;
    announce = false;
    watchedWait = false;
    perRead = stall;
    this.minRate = stall.isZero() ? 0 : minRate;
    windowNanos = stall.toNanos();
    windowStart = System.nanoTime();
    windowBytes = 0;
  }

  private void setTimeout(Duration timeout) throws IOException {
    if (!timeout.equals(currentTimeout)) {
      flow.readTimeout(timeout);
      currentTimeout = timeout;
    }
  }

  /** Reads from the flow into {@code into}, under the rule in force; -1 at end of stream. */
  private int readFlow(ByteBuffer into) throws IOException {
    Duration timeout = perRead;
    if (watchedWait) {
      timeout = Duration.ZERO;
    } else if (deadline != 0) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new SocketTimeoutException("request head not received in time");
      }
      Duration left = Duration.ofNanos(remaining);
      timeout = timeout.isZero() || left.compareTo(timeout) < 0 ? left : timeout;
    }
    setTimeout(timeout);
    int n = flow.read(into);
    arrived(n);
    return n;
  }

  /** Keeps the books of {@code n} bytes just read under the rule in force. */
  private void arrived(int n) throws IOException {
    if (n > 0) {
      watchedWait = false;
      if (waiting) {
        waiting = false;
        perRead = Duration.ZERO;
        deadline = headTimeoutNanos == 0 ? 0 : System.nanoTime() + headTimeoutNanos;
      }
      if (announce) {
        announce = false;
        listener.requestBegins();
      }
      started = true;
      if (minRate > 0) {
        windowBytes += n;
        long now = System.nanoTime();
        if (now - windowStart >= windowNanos) {
          if (windowBytes * 1_000_000_000L < minRate * (now - windowStart)) {
            throw new TooSlow();
          }
          windowStart = now;
          windowBytes = 0;
        }
      }
    }
  }

  /**
   * Reads into the buffer what has arrived on {@code selectable} (this input's flow, non-blocking),
   * without waiting: for an event loop told that the connection is readable.
   *
   * @return the number of bytes read, 0 if none, -1 at end of stream
   */
  int fillNow(SelectableFlow selectable) throws IOException {
    if (position > 0 && position == limit) {
      position = 0;
      limit = 0;
    }
    if (limit == buffer.length) {
      if (position > 0) {
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        limit -= position;
        position = 0;
      } else if (buffer.length < maxBuffer) {
        buffer = java.util.Arrays.copyOf(buffer, Math.min(maxBuffer, buffer.length * 2));
      } else {
        return 0; // full: the parser will refuse the line
      }
    }
    int n = selectable.readNow(ByteBuffer.wrap(buffer, limit, buffer.length - limit));
    if (n > 0) {
      limit += n;
    }
    arrived(n);
    return n;
  }

  /** Reads more bytes into the buffer; -1 at end of stream. */
  private int fill() throws IOException {
    if (position > 0 && position == limit) {
      position = 0;
      limit = 0;
    }
    if (limit == buffer.length) {
      if (position > 0) {
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        limit -= position;
        position = 0;
      } else if (buffer.length < maxBuffer) {
        buffer = java.util.Arrays.copyOf(buffer, Math.min(maxBuffer, buffer.length * 2));
      }
    }
    int n = readFlow(ByteBuffer.wrap(buffer, limit, buffer.length - limit));
    if (n > 0) {
      limit += n;
    }
    return n;
  }

  /**
   * Reads one line ending in LF (a preceding CR is removed), decoded as ISO-8859-1.
   *
   * @param budget the most bytes the line, with its end, may take
   * @return the line, or {@code null} at end of stream before any byte of it
   * @throws LineTooLong if the line would exceed {@code budget}
   * @throws EOFException if the stream ends inside the line
   */
  String readLine(int budget) throws IOException, LineTooLong {
    int scanned = 0;
    while (true) {
      int available = limit - position;
      for (int i = position + scanned; i < limit; i++) {
        if (buffer[i] == '\n') {
          int length = i - position + 1;
          if (length > budget) {
            throw new LineTooLong();
          }
          int end = i;
          if (end > position && buffer[end - 1] == '\r') {
            end--;
          }
          String line = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
          position = i + 1;
          return line;
        }
      }
      scanned = available;
      if (available >= budget) {
        throw new LineTooLong();
      }
      if (fill() < 0) {
        if (limit - position == 0) {
          return null;
        }
        throw new EOFException("stream ended inside a line");
      }
    }
  }

  /**
   * Reads up to {@code length} bytes into {@code into}: from the buffer if it holds any, else
   * straight from the flow.
   *
   * @return the number of bytes read (at least 1), or -1 at end of stream
   */
  int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (position < limit) {
      int n = Math.min(length, limit - position);
      System.arraycopy(buffer, position, into, offset, n);
      position += n;
      return n;
    }
    if (length >= buffer.length / 2) {
      return readFlow(ByteBuffer.wrap(into, offset, length));
    }
    int n = fill();
    if (n < 0) {
      return -1;
    }
    int m = Math.min(length, limit - position);
    System.arraycopy(buffer, position, into, offset, m);
    position += m;
    return m;
  }

  /** A line longer than its budget. */
  static final class LineTooLong extends Exception {
    private static final long serialVersionUID = 1L;

    LineTooLong() {
      super(null, null, false, false);
    }
  }

  /** A body that arrives more slowly than the minimum rate. */
  static final class TooSlow extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    TooSlow() {
      super("request body arrives more slowly than the minimum data rate");
    }
  }
}
