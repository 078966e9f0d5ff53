package org.mirage4j.api.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One response. The server adds {@code Content-Length}, {@code Date} and {@code Connection}.
 *
 * @param status the status code
 * @param headers header fields in the order they are sent
 * @param body the body; for {@code HEAD} the server sends only its length
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

  /** Copies the header map, keeping its order. */
  public HttpResponse {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** A response with a body of the given content type. */
  public static HttpResponse of(int status, String contentType, byte[] body) {
    return new HttpResponse(status, Map.of("Content-Type", contentType), body);
  }

  /** A plain-text response. */
  public static HttpResponse text(int status, String text) {
    return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }
}
