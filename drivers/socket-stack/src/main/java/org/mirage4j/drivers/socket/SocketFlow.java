package org.mirage4j.drivers.socket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import org.mirage4j.api.SelectableFlow;

/**
 * One TCP connection over a host {@link SocketChannel}. In blocking mode (the default) reads and
 * writes go through the channel's socket streams (one system call each, read timeouts by {@code
 * SO_TIMEOUT}); after {@link #configureNonBlocking()} (an event loop serves the connection) they
 * go to the channel, and a read or write that cannot proceed waits on a selector of the calling
 * thread.
 */
final class SocketFlow implements SelectableFlow {

  /** Each thread's selector for waiting on one non-blocking channel. */
  private static final ThreadLocal<Selector> WAITERS =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Selector.open();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });

  private final SocketStack stack;
  private final SocketChannel channel;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private volatile InetSocketAddress local; // looked up when first asked: a system call
  private final InetSocketAddress remote;
  private volatile boolean closed;
  private volatile boolean nonBlocking;
  private volatile int timeoutMillis;
  private volatile Selector waiting; // the selector a thread waits on for this flow, to wake on close

  SocketFlow(SocketStack stack, SocketChannel channel) throws IOException {
    this.stack = stack;
    this.channel = channel;
    this.socket = channel.socket();
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
    this.remote = (InetSocketAddress) channel.getRemoteAddress();
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

  private IOException closedIfClosed(IOException e) {
    if (closed && !(e instanceof ClosedChannelException)) {
      ClosedChannelException c = new ClosedChannelException();
      c.initCause(e);
      return c;
    }
    return e;
  }

  @Override
  public void configureNonBlocking() throws IOException {
    if (!nonBlocking) {
      channel.configureBlocking(false);
      nonBlocking = true;
    }
  }

  @Override
  public SocketChannel channel() {
    return channel;
  }

  @Override
  public int readNow(ByteBuffer into) throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    if (!nonBlocking) {
      throw new IllegalStateException("the flow is in blocking mode");
    }
    try {
      return channel.read(into);
    } catch (IOException e) {
      throw closedIfClosed(e);
    }
  }

  /** Waits until the channel is ready for {@code op} or {@code timeoutMillis} (0: none) pass. */
  private void await(int op, int timeoutMillis) throws IOException {
    Selector selector = WAITERS.get();
    SelectionKey key = channel.register(selector, op);
    waiting = selector;
    try {
      long deadline = timeoutMillis == 0 ? 0 : System.nanoTime() + timeoutMillis * 1_000_000L;
      while (true) {
        if (closed) {
          throw new ClosedChannelException();
        }
        long wait = 0;
        if (deadline != 0) {
          wait = (deadline - System.nanoTime()) / 1_000_000L;
          if (wait <= 0) {
            throw new SocketTimeoutException("Read timed out");
          }
        }
        if (selector.select(wait) > 0) {
          selector.selectedKeys().clear();
          return;
        }
      }
    } finally {
      waiting = null;
      key.cancel();
      selector.selectNow(); // deregisters the channel, so that it can be registered again
    }
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
      if (nonBlocking) {
        while (true) {
          int n = channel.read(into);
          if (n != 0) {
            return n;
          }
          await(SelectionKey.OP_READ, timeoutMillis);
        }
      }
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
    } catch (SocketTimeoutException e) {
      throw e;
    } catch (IOException e) {
      throw closedIfClosed(e);
    }
  }

  @Override
  public void write(ByteBuffer data) throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    try {
      if (nonBlocking) {
        while (data.hasRemaining()) {
          if (channel.write(data) == 0) {
            await(SelectionKey.OP_WRITE, 0);
          }
        }
        return;
      }
      if (data.hasArray()) {
        out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
        data.position(data.limit());
      } else {
        byte[] buffer = new byte[data.remaining()];
        data.get(buffer);
        out.write(buffer);
      }
    } catch (IOException e) {
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
    int ms = millis(timeout);
    timeoutMillis = ms;
    if (!nonBlocking) {
      socket.setSoTimeout(ms);
    }
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
    try {
      channel.close();
    } finally {
      Selector w = waiting;
      if (w != null) {
        w.wakeup();
      }
    }
  }

  @Override
  public String toString() {
    return "Flow(" + localAddress() + " <-> " + remote + ")";
  }
}
