package org.mirage4j.api;

import java.io.IOException;
import org.mirage4j.api.http.HttpHandler;

/**
 * An HTTP/1.1 server over a {@link Stack} (MirageOS's {@code cohttp} server device; with TLS,
 * {@code https_server}), listening on the address and port it was configured with once connected.
 * See {@code docs/http.md}.
 */
public interface HttpServer extends Device {

  /**
   * Serves requests with {@code handler} until the server is stopped or closed (on SIGTERM the
   * lifecycle stops it: it stops listening and lets the requests in flight finish), then returns.
   * Each connection is served on a thread of its own; the handler must be thread-safe.
   */
  void serve(HttpHandler handler) throws IOException;

  /** The port the server listens on (after connect). */
  int port();
}
