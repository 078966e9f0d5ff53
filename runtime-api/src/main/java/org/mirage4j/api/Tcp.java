package org.mirage4j.api;

import java.io.IOException;
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
   * Opens a connection.
   *
   * @throws java.net.ConnectException if refused, {@link java.net.SocketTimeoutException} after
   *     {@code timeout}
   */
  Flow connect(InetSocketAddress remote, Duration timeout) throws IOException;
}
