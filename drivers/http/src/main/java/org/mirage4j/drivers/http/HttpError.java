package org.mirage4j.drivers.http;

/** A request the server refuses before it reaches the handler; the connection is then closed. */
final class HttpError extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** The status code to answer with. */
  int status() {
    return status;
  }
}
