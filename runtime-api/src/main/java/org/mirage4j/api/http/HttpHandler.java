package org.mirage4j.api.http;

import java.io.IOException;

/**
 * Answers one request. Called on the connection's thread, once per request; must be thread-safe,
 * since connections are served concurrently. Every method reaches it ({@code GET}, {@code PUT},
 * {@code OPTIONS}, extension methods); a {@link Router} dispatches on method and path.
 */
@FunctionalInterface
public interface HttpHandler {

  /**
   * Produces the response to {@code request}. An {@link HttpException} becomes a response with its
   * status and message; any other exception becomes {@code 500} (logged, never shown to the client)
   * and the connection is closed.
   */
  HttpResponse handle(HttpRequest request) throws IOException;
}
