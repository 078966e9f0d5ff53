package org.mirage4j.api;

import java.io.IOException;

/**
 * The lifecycle every device follows.
 *
 * <p>The generated wiring constructs a driver with its arguments (other devices, key values and
 * literals), then calls {@link #connect()} exactly once, after every device it was given has been
 * connected. Devices that do not depend on each other may be connected concurrently. When the
 * unikernel ends, fails to start, or receives SIGTERM, {@link #close()} is called exactly once, in
 * the reverse of the connect order. A device is shared: however often the configuration uses it, it
 * is constructed, connected and closed once.
 */
public interface Device extends AutoCloseable {

  /**
   * Acquires what the device needs (opens a file, binds a socket, starts a receive thread). The
   * default does nothing.
   *
   * @throws IOException if the device cannot be used; the wiring reports it with the device's name
   *     and its line in {@code config.mirage}, closes what it already connected and exits non-zero
   */
  default void connect() throws IOException {}

  /** Releases what {@link #connect()} acquired. Must be safe to call when connect failed. */
  @Override
  default void close() throws IOException {}
}
