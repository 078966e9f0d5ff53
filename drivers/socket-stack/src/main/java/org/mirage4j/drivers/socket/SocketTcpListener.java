package org.mirage4j.drivers.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.mirage4j.api.SelectableFlow;
import org.mirage4j.api.SelectableTcpListener;

/**
 * A listening host socket ({@link ServerSocketChannel}). {@link #accept()} blocks; after {@link
 * #configureNonBlocking()} event loops accept with {@link #acceptNow()} when their selectors say
 * a connection waits, and {@link #accept()} waits on a selector of its own.
 */
final class SocketTcpListener implements SelectableTcpListener {

  private final SocketStack stack;
  private final ServerSocketChannel server;
  private final int port;
  private volatile boolean closed;
  private volatile boolean nonBlocking;
  private volatile Selector waiting;

  private SocketTcpListener(SocketStack stack, ServerSocketChannel server) throws IOException {
    this.stack = stack;
    this.server = server;
    this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
  }

  /** Listens on {@code port} of {@code address} ({@code null}: the wildcard address). */
  static SocketTcpListener open(SocketStack stack, InetAddress address, int port, int backlog)
      throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(
          address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port),
          Math.max(1, backlog));
      return new SocketTcpListener(stack, server);
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private SocketFlow adopt(SocketChannel socket) throws IOException {
    try {
      socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    SocketFlow flow = new SocketFlow(stack, socket);
    stack.opened(flow);
    return flow;
  }

  private IOException closedIfClosed(IOException e) {
    if ((closed || !server.isOpen()) && !(e instanceof ClosedChannelException)) {
      ClosedChannelException c = new ClosedChannelException();
      c.initCause(e);
      return c;
    }
    return e;
  }

  @Override
  public SelectableFlow accept() throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    try {
      if (!nonBlocking) {
        return adopt(server.accept());
      }
      Selector selector = Selector.open();
      waiting = selector;
      try {
        server.register(selector, SelectionKey.OP_ACCEPT);
        while (true) {
          if (closed) {
            throw new ClosedChannelException();
          }
          SocketChannel socket = server.accept();
          if (socket != null) {
            return adopt(socket);
          }
          selector.select();
          selector.selectedKeys().clear();
        }
      } finally {
        waiting = null;
        selector.close();
      }
    } catch (IOException e) {
      throw closedIfClosed(e);
    }
  }

  @Override
  public void configureNonBlocking() throws IOException {
    if (!nonBlocking) {
      server.configureBlocking(false);
      nonBlocking = true;
    }
  }

  @Override
  public ServerSocketChannel channel() {
    return server;
  }

  @Override
  public SelectableFlow acceptNow() throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    if (!nonBlocking) {
      throw new IllegalStateException("the listener is in blocking mode");
    }
    try {
      SocketChannel socket = server.accept();
      return socket == null ? null : adopt(socket);
    } catch (IOException e) {
      throw closedIfClosed(e);
    }
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    stack.released(this);
    try {
      server.close();
    } finally {
      Selector w = waiting;
      if (w != null) {
        w.wakeup();
      }
    }
  }

  @Override
  public String toString() {
    return "TcpListener(" + (server.isOpen() ? String.valueOf(server.socket().getLocalSocketAddress()) : ":" + port) + ")";
  }
}
