package org.mirage4j.runtime;

/** Thrown by the tests' {@link Exit}: carries the status instead of ending the JVM. */
final class ExitCalled extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;

  ExitCalled(int status) {
    super("exit " + status, null, false, false);
    this.status = status;
  }

  static final Exit EXIT = status -> {
    throw new ExitCalled(status);
  };
}
