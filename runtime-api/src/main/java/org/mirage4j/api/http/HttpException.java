package org.mirage4j.api.http;

/**
 * A request that ends in an error status: thrown by a handler ({@code throw new
 * HttpException(404, "no such key")}) or by a request's body stream (413, 408, 400). The server
 * answers it with {@code status} and the message as plain text; it is not logged as a failure.
 */
public class HttpException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * An error response.
   *
   * @param status a status from 400 to 599
   * @param message a one-line explanation for the client
   */
  public HttpException(int status, String message) {
    super(message, null, false, false);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("not an error status: " + status);
    }
    this.status = status;
  }

  /** The status to answer with. */
  public int status() {
    return status;
  }
}
