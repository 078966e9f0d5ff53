package org.mirage4j.api;

import java.io.IOException;

/** A listening TCP port. */
public interface TcpListener extends AutoCloseable {

  /**
   * Blocks until a connection is established and returns it.
   *
   * @throws java.nio.channels.ClosedChannelException (an {@link IOException}) once closed
   */
  Flow accept() throws IOException;

  /** The port listened on (useful after listening on port 0). */
  int port();

  /** Stops listening; unblocks a pending {@link #accept()}. Idempotent. */
  @Override
  void close() throws IOException;
}
