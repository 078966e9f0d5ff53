package org.mirage4j.api;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/** TCP (RFC 9293): listening and connecting. */
public interface Tcp extends Device {

  /**
   * Listens on {@code port} of every local address.
   *
   * @param port 0 for any free port
   * @param backlog how many established connections may wait for {@link TcpListener#accept()}
   * @throws IOException if the port is in use
   */
  TcpListener listen(int port, int backlog) throws IOException;

  /**
   * Listens on {@code port} of one local address only.
   *
   * <p>The default accepts only the wildcard address ({@code 0.0.0.0} or {@code ::}, or {@code
   * null}), meaning every address, as {@link #listen(int, int)} does; a stack that can bind single
   * addresses overrides it.
   *
   * @param address the local address to accept connections on; the wildcard or {@code null} for
   *     every address of the stack
   * @param port 0 for any free port
   * @param backlog how many established connections may wait for {@link TcpListener#accept()}
   * @throws BindException if {@code address} is not one of the stack's addresses, or the port is
   *     in use
   */
  default TcpListener listen(InetAddress address, int port, int backlog) throws IOException {
    if (address == null || address.isAnyLocalAddress()) {
      return listen(port, backlog);
    }
    throw new BindException(
        "cannot listen on " + address.getHostAddress() + ": this stack listens on every address only");
  }

  /**
   * Opens a connection.
   *
   * @throws java.net.ConnectException if refused, {@link java.net.SocketTimeoutException} after
   *     {@code timeout}
   */
  Flow connect(InetSocketAddress remote, Duration timeout) throws IOException;
}
