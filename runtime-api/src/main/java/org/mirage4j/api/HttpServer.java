package org.mirage4j.api;

import java.io.IOException;
import org.mirage4j.api.http.HttpHandler;

/**
 * An HTTP/1.1 server over a {@link Stack} (MirageOS's {@code cohttp} server device), listening on
 * the port it was configured with.
 */
public interface HttpServer extends Device {

  /**
   * Serves requests with {@code handler} until the server is closed. Each connection is served on
   * its own thread; the handler must be thread-safe.
   */
  void serve(HttpHandler handler) throws IOException;

  /** The port the server listens on (after connect). */
  int port();
}
