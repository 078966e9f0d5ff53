package org.mirage4j.drivers.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import org.mirage4j.api.Flow;
import org.mirage4j.api.TcpListener;

/** A listening host socket. */
final class SocketTcpListener implements TcpListener {

  private final SocketStack stack;
  private final ServerSocket server;
  private volatile boolean closed;

  private SocketTcpListener(SocketStack stack, ServerSocket server) {
    this.stack = stack;
    this.server = server;
  }

  /** Listens on {@code port} of {@code address} ({@code null}: the wildcard address). */
  static SocketTcpListener open(SocketStack stack, InetAddress address, int port, int backlog)
      throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true);
      server.bind(
          address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port),
          Math.max(1, backlog));
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return new SocketTcpListener(stack, server);
  }

  @Override
  public Flow accept() throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    Socket socket;
    try {
      socket = server.accept();
    } catch (SocketException e) {
      if (closed || server.isClosed()) {
        ClosedChannelException closedException = new ClosedChannelException();
        closedException.initCause(e);
        throw closedException;
      }
      throw e;
    }
    try {
      socket.setTcpNoDelay(true);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    SocketFlow flow = new SocketFlow(stack, socket);
    stack.opened(flow);
    return flow;
  }

  @Override
  public int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    stack.released(this);
    server.close();
  }

  @Override
  public String toString() {
    return "TcpListener(" + server.getLocalSocketAddress() + ")";
  }
}
