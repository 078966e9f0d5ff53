package org.mirage4j.api;

/**
 * An application entry point: the class named by a {@code job} declaration.
 *
 * <p>The job's public constructor receives the devices and key values listed in its declaration, in
 * order; the wiring calls {@link #start()} once every device is connected. When every job of a
 * unikernel has returned from {@code start}, the unikernel closes its devices and exits with status
 * 0; if a job throws, the unikernel reports it, closes its devices and exits with status 1. A job
 * chooses another status by throwing {@link ExitStatus} ({@code throw ExitStatus.of(5);}): the
 * unikernel closes its devices and exits with that status, on every target.
 */
public interface Job {

  /**
   * Runs the application. Long-running services (servers) block here until they are stopped.
   *
   * @throws ExitStatus to end the unikernel with a status of the job's choosing
   * @throws Exception any other failure; it ends the unikernel with status 1
   */
  void start() throws Exception;
}
