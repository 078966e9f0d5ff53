package org.mirage4j.api.http;

import java.io.IOException;

/** Answers one request. Must be thread-safe. */
@FunctionalInterface
public interface HttpHandler {

  /**
   * Produces the response to {@code request}. An exception becomes a 500 response; the connection
   * is then closed.
   */
  HttpResponse handle(HttpRequest request) throws IOException;
}
