package org.mirage4j.api;

import java.io.IOException;

/**
 * The lifecycle every device follows.
 *
 * <p>The generated wiring constructs a driver with its arguments (other devices, key values and
 * literals), then calls {@link #connect()} exactly once, after every device it was given has been
 * connected. Devices that do not depend on each other may be connected concurrently. When the
 * unikernel ends, fails to start, or receives SIGTERM, {@link #close()} is called exactly once, in
 * the reverse of the connect order. Before any device is closed, every connected device is asked to
 * {@link #stop()}, also in reverse connect order, so that a server can finish the requests in
 * flight while the devices they use are still open. A device is shared: however often the
 * configuration uses it, it is constructed, connected, stopped and closed once.
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

  /**
   * Stops taking new work and finishes what is in flight (a server stops listening and lets the
   * responses being sent complete), within a bounded time. Called once, before {@link #close()} of
   * any device of the unikernel. The default does nothing.
   */
  default void stop() throws IOException {}

  /** Releases what {@link #connect()} acquired. Must be safe to call when connect failed. */
  @Override
  default void close() throws IOException {}
}
