package org.mirage4j.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A {@link Flow} over a host {@link SocketChannel} that can wait for data in a {@link
 * java.nio.channels.Selector}, so that a server serves many connections on a few threads (an
 * event loop). The socket stack's flows are selectable; the direct stack's are not.
 *
 * <p>The {@link Flow} methods keep their blocking meaning in either mode: once {@link
 * #configureNonBlocking()} has been called, a {@link #read} or {@link #write} that cannot proceed
 * waits for the channel (on a selector of the calling thread) as long as the read timeout allows.
 */
public interface SelectableFlow extends Flow {

  /**
   * Puts the channel into non-blocking mode for good, so that it can be registered with a
   * selector; {@link #channel()} is then to be used only for registration.
   */
  void configureNonBlocking() throws IOException;

  /** The channel, to register with a selector for {@code OP_READ} (after {@link #configureNonBlocking()}). */
  SocketChannel channel();

  /**
   * Reads what has arrived, without waiting (non-blocking mode only).
   *
   * @return the number of bytes read, 0 if none has arrived, -1 at end of stream
   */
  int readNow(ByteBuffer into) throws IOException;
}
