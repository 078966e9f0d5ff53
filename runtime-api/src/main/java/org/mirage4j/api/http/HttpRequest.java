package org.mirage4j.api.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One request, as a handler receives it.
 *
 * <p>The head (method, path, query, headers) is parsed and checked by the server before the
 * handler is called; the body is a stream the handler reads as it likes, bounded by the server's
 * body limit: reading past it fails with {@link HttpException} 413, a client that sends too slowly
 * with {@link HttpException} 408. A body the handler leaves unread is skipped by the server. For a
 * request with {@code Expect: 100-continue} the server sends {@code 100 Continue} when the handler
 * first reads the body, so a handler can refuse a large upload without receiving it.
 *
 * <p>{@link #builder} makes requests for testing handlers without a server.
 */
public final class HttpRequest {

  private final String method;
  private final String path;
  private final String query;
  private final Map<String, List<String>> headers;
  private final InputStream body;
  private final long contentLength;
  private final Map<String, String> pathParams;
  private final InetSocketAddress remoteAddress;

  private HttpRequest(
      String method,
      String path,
      String query,
      Map<String, List<String>> headers,
      InputStream body,
      long contentLength,
      Map<String, String> pathParams,
      InetSocketAddress remoteAddress) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.contentLength = contentLength;
    this.pathParams = pathParams;
    this.remoteAddress = remoteAddress;
  }

  /**
   * A request as the server makes it.
   *
   * @param method the method, as sent (methods are case-sensitive: {@code GET})
   * @param path the decoded path, starting with {@code /} ({@code *} for {@code OPTIONS *})
   * @param query the raw query after {@code ?}, or empty
   * @param headers header fields, names lower-cased, values in arrival order; not copied
   * @param body the body stream
   * @param contentLength the body's length if known in advance, else -1
   * @param remoteAddress the client's address
   */
  public static HttpRequest of(
      String method,
      String path,
      String query,
      Map<String, List<String>> headers,
      InputStream body,
      long contentLength,
      InetSocketAddress remoteAddress) {
    return new HttpRequest(
        Objects.requireNonNull(method, "method"),
        Objects.requireNonNull(path, "path"),
        Objects.requireNonNull(query, "query"),
        Collections.unmodifiableMap(Objects.requireNonNull(headers, "headers")),
        Objects.requireNonNull(body, "body"),
        contentLength,
        Map.of(),
        remoteAddress);
  }

  /**
   * Starts a request for tests: {@code HttpRequest.builder("PUT", "/kv/a?x=1").body("hi").build()}.
   *
   * @param method the method
   * @param target the path (not percent-encoded) and an optional raw query after {@code ?}
   */
  public static Builder builder(String method, String target) {
    return new Builder(method, target);
  }

  /** The method, as sent: {@code GET}, {@code PUT}, ... (methods are case-sensitive). */
  public String method() {
    return method;
  }

  /**
   * The decoded path, always starting with {@code /} (or {@code *} for {@code OPTIONS *}), without
   * the query. It never contains {@code .} or {@code ..} segments, an encoded {@code /}, a
   * backslash or a control character: the server refuses those requests.
   */
  public String path() {
    return path;
  }

  /** The raw query string after {@code ?}, or empty. */
  public String query() {
    return query;
  }

  /**
   * The decoded parameters of the query ({@code a=1&b=x%20y}, {@code +} as space), in order; a
   * name without {@code =} has the value {@code ""}. Malformed percent-encodings are kept as
   * written.
   */
  public Map<String, List<String>> queryParams() {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decodeForm(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decodeForm(pair.substring(eq + 1));
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  /** The first value of a query parameter. */
  public Optional<String> queryParam(String name) {
    List<String> values = queryParams().get(name);
    return values == null ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Header fields: names lower-cased, each with its values in arrival order. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header, by case-insensitive name. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Every value of a header, by case-insensitive name (empty if absent). */
  public List<String> headerValues(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null ? List.of() : values;
  }

  /** The body's length when the client announced it ({@code Content-Length}); empty if chunked. */
  public OptionalLong contentLength() {
    return contentLength < 0 ? OptionalLong.empty() : OptionalLong.of(contentLength);
  }

  /**
   * The body as a stream (empty when the request has none). It is bounded by the server's body
   * limit and fails with {@link HttpException} (413 too large, 408 too slow, 400 malformed chunked
   * coding) or {@link IOException} (the client went away). Read it once.
   */
  public InputStream body() {
    return body;
  }

  /** Reads the whole body (see {@link #body()}). */
  public byte[] bodyBytes() throws IOException {
    return body.readAllBytes();
  }

  /**
   * Reads the whole body as text in the charset of its {@code Content-Type}, UTF-8 when none is
   * given.
   *
   * @throws HttpException 415 if the charset is unknown
   */
  public String bodyText() throws IOException {
    return new String(bodyBytes(), charset());
  }

  private Charset charset() {
    String type = header("content-type").orElse("");
    for (String part : type.split(";")) {
      String p = part.strip();
      if (p.regionMatches(true, 0, "charset=", 0, 8)) {
        String name = p.substring(8).strip();
        if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
          name = name.substring(1, name.length() - 1);
        }
        try {
          return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
          throw new HttpException(415, "unsupported charset: " + name);
        }
      }
    }
    return StandardCharsets.UTF_8;
  }

  /**
   * The value of a path parameter of the route that matched ({@link Router}): for the pattern
   * {@code /kv/{key}} and the path {@code /kv/a}, {@code pathParam("key")} is {@code "a"}.
   *
   * @throws IllegalArgumentException if the route has no such parameter
   */
  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          "no path parameter '" + name + "'" + (pathParams.isEmpty() ? "" : "; there are " + pathParams.keySet()));
    }
    return value;
  }

  /** Every path parameter of the route that matched, in pattern order. */
  public Map<String, String> pathParams() {
    return pathParams;
  }

  /** This request with the given path parameters (the router calls it); the body is shared. */
  public HttpRequest withPathParams(Map<String, String> params) {
    return new HttpRequest(
        method, path, query, headers, body, contentLength,
        Collections.unmodifiableMap(new LinkedHashMap<>(params)), remoteAddress);
  }

  /** The client's address, or {@code null} for a request made with {@link #builder}. */
  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query);
  }

  private static String decodeForm(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        out.write(' ');
      } else if (c == '%' && i + 2 < s.length()
          && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
        out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Builds a request for tests. */
  public static final class Builder {
    private final String method;
    private final String path;
    private final String query;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private InetSocketAddress remoteAddress;

    private Builder(String method, String target) {
      this.method = Objects.requireNonNull(method, "method");
      int question = target.indexOf('?');
      this.path = question < 0 ? target : target.substring(0, question);
      this.query = question < 0 ? "" : target.substring(question + 1);
    }

    /** Adds a header value. */
    public Builder header(String name, String value) {
      headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
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

    /** Sets the client's address. */
    public Builder remoteAddress(InetSocketAddress address) {
      this.remoteAddress = address;
      return this;
    }

    /** The request. */
    public HttpRequest build() {
      Map<String, List<String>> copy = new LinkedHashMap<>();
      headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
      return of(method, path, query, copy, new ByteArrayInputStream(body), body.length, remoteAddress);
    }
  }
}
