package org.mirage4j.api;

/**
 * An application entry point: the class named by a {@code job} declaration.
 *
 * <p>The job's public constructor receives the devices and key values listed in its declaration, in
 * order; the wiring calls {@link #start()} once every device is connected. When every job of a
 * unikernel has returned from {@code start}, the unikernel closes its devices and exits with status
 * 0; if a job throws, the unikernel reports it, closes its devices and exits with status 1.
 */
public interface Job {

  /**
   * Runs the application. Long-running services (servers) block here until they are stopped.
   *
   * @throws Exception any failure; it ends the unikernel with a non-zero status
   */
  void start() throws Exception;
}
