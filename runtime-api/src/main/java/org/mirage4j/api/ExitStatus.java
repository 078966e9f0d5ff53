package org.mirage4j.api;

/**
 * Ends the unikernel with a status the job chooses: {@code throw ExitStatus.of(5);} (MirageOS's
 * {@code exit 5}, picocli's {@code return 5} from {@code call()}).
 *
 * <p>Thrown from {@link Job#start()} (or anything it calls, on the job's thread), it ends the run
 * as a return does, not as a failure: no error is printed (only the optional reason, as one line
 * {@code <unikernel>: exiting with status 5: <reason>}), every device is stopped and closed in
 * reverse connect order, and the program's exit status is {@link #status()}. On {@code xen} and
 * {@code arm} the guest's {@code /init} powers the guest off with that status and prints it on the
 * console ({@code mirage4j-guest: <name> exited with status 5}).
 *
 * <p>When a unikernel has several jobs, the first that throws an {@code ExitStatus} (or fails) ends
 * the run; the others are not waited for. {@code ExitStatus.of(0)} ends every job with success.
 *
 * <p>The statuses 1 (a device or job failed) and 64 (a command-line usage error) are what the
 * generated program itself uses; a job may use them too, but a status of its own (2–63, 65–125) lets
 * a caller tell the job's outcome from the runtime's. 126 and above mean "not executable", "killed by
 * a signal" to shells, and are refused.
 */
public final class ExitStatus extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The highest status a job may choose; shells give 126 and above their own meanings. */
  public static final int MAX = 125;

  private final int status;

  private ExitStatus(int status, String reason) {
    super(reason, null, false, false);
    if (status < 0 || status > MAX) {
      throw new IllegalArgumentException(
          "an exit status is between 0 and " + MAX + ", not " + status);
    }
    this.status = status;
  }

  /**
   * Ends the unikernel with {@code status} and no message.
   *
   * @param status between 0 and {@value #MAX}
   * @throws IllegalArgumentException if {@code status} is out of range
   */
  public static ExitStatus of(int status) {
    return new ExitStatus(status, null);
  }

  /**
   * Ends the unikernel with {@code status}, printing {@code reason} as one line on standard error.
   *
   * @param status between 0 and {@value #MAX}
   * @param reason why, for the person reading the console
   * @throws IllegalArgumentException if {@code status} is out of range
   */
  public static ExitStatus of(int status, String reason) {
    return new ExitStatus(status, java.util.Objects.requireNonNull(reason, "reason"));
  }

  /** The exit status the program ends with. */
  public int status() {
    return status;
  }

  /** The reason given to {@link #of(int, String)}, or {@code null}. */
  public String reason() {
    return getMessage();
  }
}
