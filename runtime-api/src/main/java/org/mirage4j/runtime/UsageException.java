package org.mirage4j.runtime;

/**
 * A command line that the {@link OptionParser} refuses. The message is the one line shown to the
 * user after the program's name, such as {@code option --port: expected a port (0-65535), got
 * 'abc'}.
 */
public final class UsageException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message the line shown to the user, without the program's name
   */
  public UsageException(String message) {
    super(message, null, false, false);
  }
}
