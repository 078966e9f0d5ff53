package org.mirage4j.drivers.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.mirage4j.api.Flow;
import org.mirage4j.api.http.HttpResponse;

/**
 * Writes responses on one connection: the head and the body framed by {@code Content-Length},
 * chunked coding or the end of the connection, through one reused buffer so that a small response
 * is one write.
 *
 * <p>Bytes go to the flow in slices, and the time a slice has been blocked is visible to the
 * server's watchdog ({@link #blockedSince}), which closes a connection whose client stopped
 * reading; a slice is sized to what the client was seen to take in half the stall timeout. A
 * response that the client reads more slowly than the minimum rate, over any period of the stall
 * timeout, is abandoned.
 */
final class ResponseWriter {

  private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
  private static final byte[] CRLF = ascii("\r\n");
  private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
  private static final byte[] SERVER = ascii("Server: mirage4j\r\n");
  private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
  private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
  private static final byte[] CLOSE = ascii("Connection: close\r\n");
  private static final byte[] KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
  private static final byte[][] STATUS_LINES = new byte[600][];
  private static final int BUFFER = 16 * 1024;
  private static final int INITIAL = 2048;
  private static final int MIN_SLICE = 8 * 1024;
  private static final int MAX_SLICE = 64 * 1024;

  private final Flow flow;
  private final long stallNanos;
  private final long minRate;
  private byte[] buf = new byte[INITIAL];
  private int len;
  private int slice = MAX_SLICE;
  private long windowStart;
  private long windowBytes;
  private volatile long blockedSince; // System.nanoTime() when the pending write began
  private volatile boolean blocked;
  private boolean committed;

  ResponseWriter(Flow flow, StackHttpServer.Limits limits) {
    this.flow = flow;
    this.stallNanos = limits.stallTimeout().toNanos();
    this.minRate = limits.minDataRate();
    this.windowStart = System.nanoTime();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] statusLine(int status) {
    byte[] line = STATUS_LINES[status];
    if (line == null) {
      line = ascii("HTTP/1.1 " + status + " " + Status.reason(status) + "\r\n");
      STATUS_LINES[status] = line;
    }
    return line;
  }

  /** How long the pending write has been blocked, in nanoseconds; 0 if none is pending. */
  long blockedFor(long now) {
    if (!blocked) {
      return 0;
    }
    return Math.max(1, now - blockedSince);
  }

  /** Sends {@code 100 Continue}. */
  void writeContinue() throws IOException {
    windowStart = System.nanoTime();
    windowBytes = 0;
    send(CONTINUE, 0, CONTINUE.length);
  }

  /**
   * Writes a response.
   *
   * @param response the response
   * @param head whether it answers {@code HEAD} (no body is sent)
   * @param http10 whether the request was HTTP/1.0
   * @param keepAlive whether the connection is to stay open
   * @return whether the connection may stay open afterwards (false when the body had to be
   *     delimited by closing, or a streamed body did not match its length)
   * @throws IllegalStateException if the response's header fields are invalid (nothing was sent)
   */
  boolean write(HttpResponse response, boolean head, boolean http10, boolean keepAlive) throws IOException {
    int status = response.status();
    boolean bodyless = Status.bodyless(status);
    long length = response.contentLength();
    boolean streamed = response.isStreamed();
    boolean chunked = false;
    if (!bodyless && !head && length < 0) {
      if (http10) {
        keepAlive = false; // delimited by closing the connection
      } else {
        chunked = true;
      }
    }
    len = 0;
    committed = false;
    windowStart = System.nanoTime();
    windowBytes = 0;
    appendHead(response, status, bodyless, length, chunked, http10, keepAlive);
    if (bodyless || head) {
      flushBuffer();
      return keepAlive;
    }
    if (!streamed) {
      byte[] body = response.body();
      if (len + body.length <= BUFFER) {
        ensure(body.length);
        System.arraycopy(body, 0, buf, len, body.length);
        len += body.length;
        flushBuffer();
      } else {
        int first = Math.max(0, BUFFER - len);
        ensure(first);
        System.arraycopy(body, 0, buf, len, first);
        len += first;
        flushBuffer();
        send(body, first, body.length - first);
      }
      return keepAlive;
    }
    BodyStream out = chunked ? new ChunkedStream() : new CountingStream(length);
    response.writer().writeTo(out);
    out.finish();
    return keepAlive && out.complete();
  }

  private void appendHead(
      HttpResponse response, int status, boolean bodyless, long length, boolean chunked, boolean http10,
      boolean keepAlive) {
    append(statusLine(status));
    append(HttpDate.dateHeader());
    boolean hasServer = false;
    for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
      String name = header.getKey();
      if (reserved(name)) {
        continue;
      }
      checkName(name);
      hasServer |= name.equalsIgnoreCase("server");
      for (String value : header.getValue()) {
        appendAscii(name);
        append((byte) ':');
        append((byte) ' ');
        appendValue(name, value);
        append(CRLF);
      }
    }
    if (!hasServer) {
      append(SERVER);
    }
    if (!bodyless && length >= 0) {
      append(CONTENT_LENGTH);
      appendAscii(Long.toString(length));
      append(CRLF);
    } else if (chunked) {
      append(CHUNKED);
    }
    if (!keepAlive) {
      append(CLOSE);
    } else if (http10) {
      append(KEEP_ALIVE);
    }
    append(CRLF);
  }

  private static boolean reserved(String name) {
    return switch (name.length()) {
      case 4 -> name.equalsIgnoreCase("date");
      case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
      case 14 -> name.equalsIgnoreCase("content-length");
      case 17 -> name.equalsIgnoreCase("transfer-encoding");
      default -> false;
    };
  }

  private static void checkName(String name) {
    if (name.isEmpty()) {
      throw new IllegalStateException("empty response header name");
    }
    for (int i = 0; i < name.length(); i++) {
      if (!RequestParser.tokenChar(name.charAt(i))) {
        throw new IllegalStateException("invalid response header name: " + name);
      }
    }
  }

  private void appendValue(String name, String value) {
    int n = value.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
        throw new IllegalStateException("invalid character in response header " + name);
      }
      buf[len++] = (byte) c;
    }
  }

  private void appendAscii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  private void append(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, len, bytes.length);
    len += bytes.length;
  }

  private void append(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      byte[] bigger = new byte[Math.max(Math.min(buf.length * 2, BUFFER), len + more)];
      System.arraycopy(buf, 0, bigger, 0, len);
      buf = bigger;
    }
  }

  private void flushBuffer() throws IOException {
    if (len > 0) {
      send(buf, 0, len);
      len = 0;
    }
    if (buf.length > 4 * BUFFER) {
      buf = new byte[BUFFER]; // do not keep a large header buffer per connection
    }
  }

  /** Whether any byte of the response being written has been sent (it can no longer be replaced). */
  boolean committed() {
    return committed;
  }

  /** Writes in slices, watched by the watchdog and held to the minimum rate. */
  private void send(byte[] bytes, int offset, int length) throws IOException {
    committed = true;
    while (length > 0) {
      int n = Math.min(length, slice);
      long started = System.nanoTime();
      blockedSince = started;
      blocked = true;
      try {
        flow.write(ByteBuffer.wrap(bytes, offset, n));
      } finally {
        blocked = false;
      }
      long now = System.nanoTime();
      offset += n;
      length -= n;
      if (length > 0 && stallNanos > 0) {
        long took = Math.max(1, now - started);
        // what the client took per half stall timeout at the speed just seen
        long fit = (long) ((double) n * (stallNanos / 2) / took);
        slice = (int) Math.max(MIN_SLICE, Math.min(MAX_SLICE, fit));
      }
      if (minRate > 0 && stallNanos > 0) {
        windowBytes += n;
        long elapsed = now - windowStart;
        if (elapsed >= stallNanos) {
          if (windowBytes * 1_000_000_000L < minRate * elapsed) {
            throw new IOException("the client reads the response more slowly than the minimum data rate");
          }
          windowStart = now;
          windowBytes = 0;
        }
      }
    }
  }

  /** The stream a {@link HttpResponse.BodyWriter} writes to. */
  private abstract class BodyStream extends OutputStream {
    boolean finished;

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    /** Sends what is buffered and ends the body. */
    abstract void finish() throws IOException;

    /** Whether the body was sent whole, as framed. */
    abstract boolean complete();

    @Override
    public void close() throws IOException {
      flush();
    }

    void checkOpen() throws IOException {
      if (finished) {
        throw new IOException("the response body is already complete");
      }
    }
  }

  /** Chunked coding: each buffer-full (or flush) becomes one chunk. */
  private final class ChunkedStream extends BodyStream {
    private int dataStart = len; // the head waits in the buffer for the first chunk

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
      java.util.Objects.checkFromIndexSize(off, n, b.length);
      checkOpen();
      while (n > 0) {
        int room = BUFFER - 16 - len;
        if (room <= 0) {
          sendChunk(false);
          continue;
        }
        int m = Math.min(room, n);
        ensure(m);
        System.arraycopy(b, off, buf, len, m);
        len += m;
        off += m;
        n -= m;
      }
    }

    @Override
    public void flush() throws IOException {
      if (!finished && len > 0) {
        sendChunk(false); // also sends the head, if it still waits
      }
    }

    private void sendChunk(boolean last) throws IOException {
      int size = len - dataStart;
      if (size > 0) {
        byte[] header = ascii(Integer.toHexString(size) + "\r\n");
        ensure(header.length + 2 + (last ? LAST_CHUNK.length : 0));
        System.arraycopy(buf, dataStart, buf, dataStart + header.length, size);
        System.arraycopy(header, 0, buf, dataStart, header.length);
        len += header.length;
        append(CRLF);
      }
      if (last) {
        append(LAST_CHUNK);
      }
      flushBuffer();
      dataStart = 0;
    }

    @Override
    void finish() throws IOException {
      if (!finished) {
        sendChunk(true);
        finished = true;
      }
    }

    @Override
    boolean complete() {
      return finished;
    }
  }

  /** A body of declared length (or delimited by closing, when -1): bytes go out as written. */
  private final class CountingStream extends BodyStream {
    private final long declared;
    private long written;

    CountingStream(long declared) {
      this.declared = declared;
    }

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
      java.util.Objects.checkFromIndexSize(off, n, b.length);
      checkOpen();
      if (declared >= 0 && written + n > declared) {
        throw new IOException("the response body is longer than its declared length " + declared);
      }
      written += n;
      if (len + n <= BUFFER) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return;
      }
      flushBuffer();
      if (n <= BUFFER / 2) {
        ensure(n);
        System.arraycopy(b, off, buf, 0, n);
        len = n;
      } else {
        send(b, off, n);
      }
    }

    @Override
    public void flush() throws IOException {
      flushBuffer();
    }

    @Override
    void finish() throws IOException {
      flushBuffer();
      finished = true;
    }

    @Override
    boolean complete() {
      return declared >= 0 && written == declared;
    }
  }
}
