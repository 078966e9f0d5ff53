package org.mirage4j.api;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;

/**
 * A {@link TcpListener} over a host {@link ServerSocketChannel} that can wait for connections in
 * a {@link java.nio.channels.Selector} ({@code OP_ACCEPT}), for servers with event loops. The
 * socket stack's listeners are selectable.
 */
public interface SelectableTcpListener extends TcpListener {

  /**
   * Puts the listening channel into non-blocking mode for good, so that it can be registered with
   * selectors; {@link #accept()} then still waits for a connection.
   */
  void configureNonBlocking() throws IOException;

  /** The listening channel, to register with selectors for {@code OP_ACCEPT}. */
  ServerSocketChannel channel();

  /**
   * Accepts a connection if one is waiting, without waiting (non-blocking mode only).
   *
   * @return the connection (its channel in blocking mode), or {@code null} if none is waiting
   * @throws java.nio.channels.ClosedChannelException once closed
   */
  SelectableFlow acceptNow() throws IOException;
}
