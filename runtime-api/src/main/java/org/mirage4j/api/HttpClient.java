package org.mirage4j.api;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP/1.1 client over a {@link Stack} and a {@link DnsClient} (MirageOS's {@code
 * http_client}): {@code http} and {@code https} URLs, persistent connections, redirects, and
 * limits on time and size.
 *
 * <p>Failures are {@link IOException}s with a message that says what went wrong: the name did not
 * resolve, the connection was refused, the certificate is not trusted for the host, the server
 * sent something that is not HTTP, the response did not come in time or was larger than allowed,
 * too many redirects.
 */
public interface HttpClient extends Device {

  /** Sends {@code request}, following redirects, and returns the final response. */
  Response send(Request request) throws IOException;

  /** {@code GET url}. */
  default Response get(String url) throws IOException {
    return send(Request.of("GET", url).build());
  }

  /**
   * A request.
   *
   * @param method the method
   * @param uri an absolute {@code http} or {@code https} URI
   * @param headers header fields (the client adds {@code Host}, {@code Content-Length}, {@code
   *     User-Agent} and {@code Accept} unless given)
   * @param body the body, empty for none
   */
  record Request(String method, URI uri, Map<String, List<String>> headers, byte[] body) {

    /** Checks the request. */
    public Request {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(uri, "uri");
      checkUri(uri);
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
      body = body == null ? new byte[0] : body;
    }

    /**
     * Starts a request.
     *
     * @throws IllegalArgumentException if {@code url} is not an absolute http or https URL
     */
    public static Builder of(String method, String url) {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("not a URL: '" + url + "' (" + e.getReason() + ")");
      }
      checkUri(uri);
      return new Builder(method, uri);
    }

    static void checkUri(URI uri) {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new IllegalArgumentException("not an http or https URL: '" + uri + "'");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new IllegalArgumentException("no host in the URL '" + uri + "'");
      }
    }

    /** Builds a request. */
    public static final class Builder {
      private final String method;
      private final URI uri;
      private final Map<String, List<String>> headers = new LinkedHashMap<>();
      private byte[] body = new byte[0];

      private Builder(String method, URI uri) {
        this.method = method;
        this.uri = uri;
      }

      /** Adds a header value. */
      public Builder header(String name, String value) {
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        return this;
      }

      /** Sets the body. */
      public Builder body(byte[] bytes) {
        this.body = bytes.clone();
        return this;
      }

      /** Sets the body to UTF-8 text. */
      public Builder body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
      }

      /** The request. */
      public Request build() {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return new Request(method, uri, copy, body);
      }
    }
  }

  /**
   * A response.
   *
   * @param status the status code
   * @param headers header fields, names lower-cased
   * @param body the body
   * @param uri the URI it answers (after redirects)
   */
  record Response(int status, Map<String, List<String>> headers, byte[] body, URI uri) {

    /** Copies the headers. */
    public Response {
      headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }
}
