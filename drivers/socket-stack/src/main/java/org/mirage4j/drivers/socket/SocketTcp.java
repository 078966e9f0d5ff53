package org.mirage4j.drivers.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import org.mirage4j.api.Flow;
import org.mirage4j.api.Tcp;
import org.mirage4j.api.TcpListener;

/** TCP of a {@link SocketStack}. */
final class SocketTcp implements Tcp {

  private final SocketStack stack;

  SocketTcp(SocketStack stack) {
    this.stack = stack;
  }

  @Override
  public TcpListener listen(int port, int backlog) throws IOException {
    return listen(null, port, backlog);
  }

  @Override
  public TcpListener listen(InetAddress address, int port, int backlog) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    SocketTcpListener listener = SocketTcpListener.open(stack, address, port, backlog);
    stack.opened(listener);
    return listener;
  }

  @Override
  public Flow connect(InetSocketAddress remote, Duration timeout) throws IOException {
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("negative timeout: " + timeout);
    }
    if (stack.isClosed()) {
      throw new java.nio.channels.ClosedChannelException();
    }
    SocketChannel channel = SocketChannel.open();
    try {
      channel.socket().setTcpNoDelay(true);
      channel.socket().connect(remote, SocketFlow.millis(timeout));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    SocketFlow flow = new SocketFlow(stack, channel);
    stack.opened(flow);
    return flow;
  }
}
