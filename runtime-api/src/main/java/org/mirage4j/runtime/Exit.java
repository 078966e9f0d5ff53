package org.mirage4j.runtime;

/**
 * Ends the program with a status. The generated {@code main} uses {@link #system()}; tests pass
 * their own implementation to observe the status without ending the test's JVM.
 *
 * <p>An implementation must not return normally: the real one ends the JVM, a test's one throws.
 * Callers in this package guard against a returning implementation by throwing {@link
 * IllegalStateException} right after the call.
 */
@FunctionalInterface
public interface Exit {

  /** Status of a successful run. */
  int OK = 0;
  /** Status when a device failed to connect or a job failed. */
  int FAILURE = 1;
  /** Status of a command-line usage error ({@code EX_USAGE} of {@code sysexits.h}). */
  int USAGE = 64;

  /**
   * Ends the program with {@code status}.
   *
   * @param status the process exit status
   */
  void exit(int status);

  /** {@link System#exit}: runs the shutdown hooks, then ends the JVM. */
  static Exit system() {
    return System::exit;
  }
}
