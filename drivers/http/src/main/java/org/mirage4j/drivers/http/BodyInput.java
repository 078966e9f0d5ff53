package org.mirage4j.drivers.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import org.mirage4j.api.http.HttpException;

/**
 * The body of one request as a stream: {@code Content-Length} bytes, or the chunked coding decoded
 * (RFC 9112 7.1), never more than the body limit. Sends {@code 100 Continue} on the first read when
 * the client waits for it. A protocol problem fails the stream, once and for good, with {@link
 * HttpException} (413, 408, 400); the server then answers with that status whatever the handler
 * returns.
 */
final class BodyInput extends InputStream {

  /** Sends {@code 100 Continue}. */
  interface Continuer {
    void sendContinue() throws IOException;
  }

  private static final int MAX_CHUNK_LINE = 1024;

  private final FlowInput in;
  private final boolean chunked;
  private final long maxBytes;
  private final int maxTrailerBytes;
  private final Continuer continuer;
  private boolean continuePending;
  private long remaining; // of the body (fixed) or of the current chunk (chunked)
  private long total;
  private boolean finished;
  private boolean clientGone;
  private HttpException failure;
  private boolean read;

  /**
   * A body.
   *
   * @param in the connection's input
   * @param length the {@code Content-Length}, or -1 for chunked
   * @param maxBytes the body limit (a {@code Content-Length} is checked against it before)
   * @param maxTrailerBytes the most bytes of trailer fields
   * @param continuer sends {@code 100 Continue} on the first read, or {@code null}
   */
  BodyInput(FlowInput in, long length, long maxBytes, int maxTrailerBytes, Continuer continuer) {
    this.in = in;
    this.chunked = length < 0;
    this.remaining = chunked ? 0 : length;
    this.maxBytes = maxBytes;
    this.maxTrailerBytes = maxTrailerBytes;
    this.continuer = continuer;
    this.continuePending = continuer != null;
    this.finished = !chunked && length == 0;
  }

  /** Whether the whole body (and any trailer section) has been read. */
  boolean finished() {
    return finished;
  }

  /** Whether the client still waits for {@code 100 Continue}, i.e. the body was never asked for. */
  boolean awaitingContinue() {
    return continuePending;
  }

  /** The failure that ended the body, or {@code null}. */
  HttpException failure() {
    return failure;
  }

  /** Whether the client closed or reset the connection inside the body. */
  boolean clientGone() {
    return clientGone;
  }

  /** Whether the handler read from the body. */
  boolean wasRead() {
    return read;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    read = true;
    return readBody(b, off, len);
  }

  private int readBody(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (failure != null) {
      throw failure;
    }
    if (finished) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    try {
      if (continuePending) {
        continuePending = false;
        continuer.sendContinue();
      }
      if (chunked && remaining == 0) {
        nextChunk();
        if (finished) {
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        clientGone = true;
        throw new EOFException("the client closed the connection inside the request body");
      }
      remaining -= n;
      total += n;
      if (remaining == 0) {
        if (chunked) {
          endOfChunk();
        } else {
          finished = true;
        }
      }
      return n;
    } catch (FlowInput.TooSlow e) {
      throw fail(408, "the request body arrives more slowly than the minimum data rate");
    } catch (SocketTimeoutException e) {
      throw fail(408, "the request body stalled");
    } catch (HttpError e) {
      throw fail(e.status(), e.getMessage());
    } catch (EOFException e) {
      clientGone = true;
      throw e;
    } catch (IOException e) {
      clientGone = true;
      throw e;
    }
  }

  private HttpException fail(int status, String message) {
    failure = new HttpException(status, message);
    return failure;
  }

  private void nextChunk() throws IOException, HttpError {
    String line = line(MAX_CHUNK_LINE, "chunk size line too long");
    int semicolon = line.indexOf(';');
    String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).strip();
    if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new HttpError(400, "malformed chunk size");
    }
    long size = Long.parseLong(hex, 16);
    if (size == 0) {
      trailers();
      finished = true;
      return;
    }
    if (total + size > maxBytes) {
      throw new HttpError(413, "request body larger than " + maxBytes + " bytes");
    }
    remaining = size;
  }

  private void endOfChunk() throws IOException, HttpError {
    String end = line(2, "chunk not followed by CRLF");
    if (!end.isEmpty()) {
      throw new HttpError(400, "chunk not followed by CRLF");
    }
  }

  private void trailers() throws IOException, HttpError {
    int budget = maxTrailerBytes;
    while (true) {
      String trailer = line(budget, "trailer section too long");
      budget -= trailer.length() + 2;
      if (trailer.isEmpty()) {
        return;
      }
    }
  }

  private String line(int budget, String tooLong) throws IOException, HttpError {
    try {
      String line = in.readLine(budget);
      if (line == null) {
        throw new EOFException("the client closed the connection inside a chunked body");
      }
      return line;
    } catch (FlowInput.LineTooLong e) {
      throw new HttpError(400, tooLong);
    }
  }

  /**
   * Reads and drops the rest of the body, for the next request on the connection.
   *
   * @return whether the body ended cleanly (otherwise the connection must be closed)
   */
  boolean drain() {
    if (finished) {
      return true;
    }
    if (failure != null || clientGone || continuePending) {
      return false;
    }
    byte[] sink = new byte[8192];
    try {
      while (readBody(sink, 0, sink.length) >= 0) {
        // dropped
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public int available() {
    return finished || failure != null ? 0 : (int) Math.min(remaining, in.hasBuffered() ? 1 : 0);
  }

  @Override
  public void close() {
    // the server drains the body after the handler
  }
}
