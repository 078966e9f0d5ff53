package org.mirage4j.drivers.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Objects;
import org.mirage4j.api.Flow;

/** One TCP connection over a host {@link Socket}. */
final class SocketFlow implements Flow {

  private final SocketStack stack;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private volatile InetSocketAddress local; // looked up when first asked: a system call
  private final InetSocketAddress remote;
  private volatile boolean closed;

  SocketFlow(SocketStack stack, Socket socket) throws IOException {
    this.stack = stack;
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
  }

  /** A timeout in milliseconds for the socket API: 0 for none, at least 1 otherwise. */
  static int millis(Duration timeout) {
    if (timeout.isZero()) {
      return 0;
    }
    long ms;
    try {
      ms = timeout.toMillis();
    } catch (ArithmeticException e) {
      return Integer.MAX_VALUE;
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
  }

  private IOException closedIfClosed(SocketException e) {
    if (closed) {
      ClosedChannelException c = new ClosedChannelException();
      c.initCause(e);
      return c;
    }
    return e;
  }

  @Override
  public int read(ByteBuffer into) throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    if (!into.hasRemaining()) {
      return 0;
    }
    try {
      if (into.hasArray()) {
        int n = in.read(into.array(), into.arrayOffset() + into.position(), into.remaining());
        if (n > 0) {
          into.position(into.position() + n);
        }
        return n;
      }
      byte[] buffer = new byte[Math.min(into.remaining(), 64 * 1024)];
      int n = in.read(buffer);
      if (n > 0) {
        into.put(buffer, 0, n);
      }
      return n;
    } catch (SocketException e) {
      throw closedIfClosed(e);
    }
  }

  @Override
  public void write(ByteBuffer data) throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    try {
      if (data.hasArray()) {
        out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
        data.position(data.limit());
      } else {
        byte[] buffer = new byte[data.remaining()];
        data.get(buffer);
        out.write(buffer);
      }
    } catch (SocketException e) {
      throw closedIfClosed(e);
    }
  }

  @Override
  public void shutdownOutput() throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    if (!socket.isOutputShutdown()) {
      socket.shutdownOutput();
    }
  }

  @Override
  public void readTimeout(Duration timeout) throws IOException {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout: " + timeout);
    }
    socket.setSoTimeout(millis(timeout));
  }

  @Override
  public InetSocketAddress localAddress() {
    InetSocketAddress l = local;
    if (l == null) {
      l = (InetSocketAddress) socket.getLocalSocketAddress();
      local = l;
    }
    return l;
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    stack.released(this);
    socket.close();
  }

  @Override
  public String toString() {
    return "Flow(" + localAddress() + " <-> " + remote + ")";
  }
}
