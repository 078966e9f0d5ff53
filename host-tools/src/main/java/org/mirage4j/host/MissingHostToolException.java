package org.mirage4j.host;

/** A command the host does not have and that cannot be installed here; the message names the package. */
public final class MissingHostToolException extends Exception {
  private static final long serialVersionUID = 1L;

  MissingHostToolException(String message) {
    super(message);
  }
}
