package org.mirage4j.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** A bound UDP port. */
public interface UdpSocket extends AutoCloseable {

  /** Sends the remaining bytes of {@code datagram} to {@code destination}. */
  void send(InetSocketAddress destination, ByteBuffer datagram) throws IOException;

  /**
   * Blocks until a datagram arrives and copies it into {@code into}; excess bytes are dropped.
   *
   * @return the sender's address
   */
  InetSocketAddress receive(ByteBuffer into) throws IOException;

  /** The local port. */
  int port();

  /** Releases the port; unblocks a pending receive. Idempotent. */
  @Override
  void close() throws IOException;
}
