package org.mirage4j.api.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One parsed request.
 *
 * @param method the method, upper case ({@code GET})
 * @param path the decoded path of the request target, always starting with {@code /}, without the
 *     query
 * @param query the raw query string after {@code ?}, or empty
 * @param headers header fields, names lower-cased, values in arrival order
 * @param body the request body (empty when there is none)
 */
public record HttpRequest(
    String method, String path, String query, Map<String, List<String>> headers, byte[] body) {

  /** Copies the header map. */
  public HttpRequest {
    headers = Map.copyOf(headers);
  }

  /** The first value of a header, by case-insensitive name. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
