package org.mirage4j.api;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A text console: stdout on {@code unix}, the guest's {@code hvc0} on {@code xen} and {@code arm}. */
public interface Console extends Device {

  /** Writes one line of text followed by a newline, atomically with respect to other lines. */
  void log(String line);

  /** Writes the remaining bytes of {@code data}. */
  void write(ByteBuffer data) throws IOException;

  /**
   * Reads available input into {@code into}, blocking until at least one byte is available.
   *
   * @return the number of bytes read, or -1 at end of input
   */
  int read(ByteBuffer into) throws IOException;
}
