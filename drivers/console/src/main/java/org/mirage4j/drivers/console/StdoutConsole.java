package org.mirage4j.drivers.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.mirage4j.api.Console;

/**
 * The {@code stdout_console} driver: a {@link Console} on the process's standard output, reading
 * from standard input.
 *
 * <p>{@link #log} writes a whole line (text plus {@code \n}) under one lock and flushes it, so lines
 * logged by concurrent threads never interleave; {@link #write} takes the same lock, so raw output
 * never lands in the middle of a line. {@link #close()} flushes but does not close the process's
 * standard streams.
 */
public final class StdoutConsole implements Console {

  private final OutputStream out;
  private final InputStream in;
  private final Object writeLock = new Object();

  /** A console on {@link System#out} and {@link System#in} (as they are when constructed). */
  public StdoutConsole() {
    this(System.out, System.in);
  }

  /**
   * A console on the given streams (tests, or a wiring that redirects the console).
   *
   * @param out where lines and bytes are written
   * @param in where input is read from
   */
  public StdoutConsole(OutputStream out, InputStream in) {
    this.out = Objects.requireNonNull(out, "out");
    this.in = Objects.requireNonNull(in, "in");
  }

  @Override
  public void log(String line) {
    byte[] bytes = (String.valueOf(line) + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (writeLock) {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        // A console that cannot be written to has nowhere to report it; PrintStream behaves alike.
        if (out instanceof PrintStream) {
          return;
        }
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Override
  public void write(ByteBuffer data) throws IOException {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    synchronized (writeLock) {
      out.write(bytes);
      out.flush();
      if (out instanceof PrintStream ps && ps.checkError()) {
        throw new IOException("console output failed");
      }
    }
  }

  @Override
  public int read(ByteBuffer into) throws IOException {
    if (!into.hasRemaining()) {
      return 0;
    }
    if (into.hasArray()) {
      int n = in.read(into.array(), into.arrayOffset() + into.position(), into.remaining());
      if (n > 0) {
        into.position(into.position() + n);
      }
      return n;
    }
    byte[] buffer = new byte[Math.min(into.remaining(), 8192)];
    int n = in.read(buffer);
    if (n > 0) {
      into.put(buffer, 0, n);
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    synchronized (writeLock) {
      out.flush();
    }
  }
}
