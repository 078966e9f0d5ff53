package org.mirage4j.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A reliable, ordered, bidirectional byte stream: one TCP connection (MirageOS's {@code flow}).
 *
 * <p>One thread may read while another writes. {@link #close()} releases the connection at once;
 * {@link #shutdownOutput()} sends end-of-stream and keeps reading possible.
 */
public interface Flow extends AutoCloseable {

  /**
   * Reads at least one byte into {@code into}, blocking until data arrives.
   *
   * @return the number of bytes read, or -1 when the peer has finished sending
   * @throws java.net.SocketTimeoutException if a {@linkplain #readTimeout read timeout} expired
   * @throws IOException if the connection was reset or closed
   */
  int read(ByteBuffer into) throws IOException;

  /** Writes all remaining bytes of {@code data}, blocking while the send window is full. */
  void write(ByteBuffer data) throws IOException;

  /** Sends end-of-stream (TCP FIN); further writes fail, reads continue. */
  void shutdownOutput() throws IOException;

  /** Bounds how long {@link #read} may block; {@link Duration#ZERO} means forever (the default). */
  void readTimeout(Duration timeout) throws IOException;

  /** This end's address. */
  InetSocketAddress localAddress();

  /** The peer's address. */
  InetSocketAddress remoteAddress();

  /** Closes the connection; unblocks a pending read. Idempotent. */
  @Override
  void close() throws IOException;
}
