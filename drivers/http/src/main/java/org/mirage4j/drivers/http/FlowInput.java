package org.mirage4j.drivers.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.mirage4j.api.Flow;

/**
 * Buffered reading of a {@link Flow}: lines with a length budget and exact byte counts, with an
 * optional deadline for the whole request on top of the flow's idle read timeout.
 */
final class FlowInput {

  private final Flow flow;
  private final Duration idleTimeout;
  private final byte[] buffer;
  private int position;
  private int limit;
  private long deadline; // System.nanoTime() value, or 0 for none
  private Duration currentTimeout;
  private Duration requestTimeout = Duration.ZERO;
  private boolean started;

  FlowInput(Flow flow, Duration idleTimeout, int bufferSize) {
    this.flow = flow;
    this.idleTimeout = idleTimeout;
    this.buffer = new byte[bufferSize];
  }

  /** Whether unread bytes are already buffered (a pipelined request has begun). */
  boolean hasBuffered() {
    return position < limit;
  }

  /**
   * Prepares for the next request: wait for it with the idle timeout only; once its first byte is
   * here (already, if pipelined), the whole request must arrive within {@code requestTimeout}
   * ({@link Duration#ZERO}: no such limit).
   */
  void beginRequest(Duration requestTimeout) throws IOException {
    deadline = 0;
    started = false;
    this.requestTimeout = requestTimeout;
    setTimeout(idleTimeout);
    if (hasBuffered()) {
      start();
    }
  }

  private void start() {
    started = true;
    if (!requestTimeout.isZero()) {
      deadline = System.nanoTime() + requestTimeout.toNanos();
    }
  }

  /** Whether any byte of the current request has arrived. */
  boolean requestStarted() {
    return started;
  }

  private void setTimeout(Duration timeout) throws IOException {
    if (!timeout.equals(currentTimeout)) {
      flow.readTimeout(timeout);
      currentTimeout = timeout;
    }
  }

  /** Reads more bytes into the buffer; -1 at end of stream. */
  private int fill() throws IOException {
    if (position > 0 && position == limit) {
      position = 0;
      limit = 0;
    }
    if (limit == buffer.length) {
      System.arraycopy(buffer, position, buffer, 0, limit - position);
      limit -= position;
      position = 0;
    }
    if (deadline != 0) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new SocketTimeoutException("request not received in time");
      }
      Duration left = Duration.ofNanos(remaining);
      setTimeout(idleTimeout.isZero() || left.compareTo(idleTimeout) < 0 ? left : idleTimeout);
    }
    ByteBuffer into = ByteBuffer.wrap(buffer, limit, buffer.length - limit);
    int n = flow.read(into);
    if (n > 0) {
      limit += n;
      if (!started) {
        start();
      }
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

  /** Reads exactly {@code n} bytes. */
  byte[] readExactly(int n) throws IOException {
    byte[] out = new byte[n];
    int copied = 0;
    while (copied < n) {
      if (position == limit && fill() < 0) {
        throw new EOFException("stream ended inside a body");
      }
      int chunk = Math.min(n - copied, limit - position);
      System.arraycopy(buffer, position, out, copied, chunk);
      position += chunk;
      copied += chunk;
    }
    return out;
  }

  /** A line longer than its budget. */
  static final class LineTooLong extends Exception {
    private static final long serialVersionUID = 1L;

    LineTooLong() {
      super(null, null, false, false);
    }
  }
}
