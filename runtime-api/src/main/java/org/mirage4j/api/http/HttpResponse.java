package org.mirage4j.api.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
 * One response: a status, header fields and a body that is either bytes or written by a {@link
 * BodyWriter} as it is sent (streamed).
 *
 * <p>The server adds {@code Date}, {@code Server} (unless given), {@code Connection} and the
 * framing: {@code Content-Length} when the length is known, otherwise {@code Transfer-Encoding:
 * chunked} (to an HTTP/1.0 client: the end of the connection). Framing headers a handler sets
 * ({@code Content-Length}, {@code Transfer-Encoding}, {@code Connection}, {@code Date}) are
 * ignored. For {@code HEAD} the server sends the head only and never calls the writer. Responses are
 * immutable; {@link #withHeader} returns a copy.
 */
public final class HttpResponse {

  /**
   * Writes a streamed body. The server calls it once, on the connection's thread, after the head
   * is sent; {@code out} frames what is written (chunked coding when the length is unknown) and
   * flushes when the writer returns. Writing more than a declared length fails.
   */
  @FunctionalInterface
  public interface BodyWriter {
    /** Writes the body to {@code out}; must not close it. */
    void writeTo(OutputStream out) throws IOException;
  }

  private static final byte[] EMPTY = new byte[0];
  private static final String TEXT = "text/plain; charset=utf-8";

  private final int status;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final BodyWriter writer;
  private final long length;

  private HttpResponse(int status, Map<String, List<String>> headers, byte[] body, BodyWriter writer, long length) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status out of range: " + status);
    }
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.writer = writer;
    this.length = length;
  }

  /**
   * A response with a body of bytes.
   *
   * @param status the status code
   * @param headers header fields, sent in the map's order
   * @param body the body (not copied; do not change it afterwards)
   */
  public HttpResponse(int status, Map<String, String> headers, byte[] body) {
    this(status, single(headers), body == null ? EMPTY : body, null, body == null ? 0 : body.length);
  }

  private static Map<String, List<String>> single(Map<String, String> headers) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    headers.forEach((k, v) -> map.put(Objects.requireNonNull(k), List.of(Objects.requireNonNull(v, k))));
    return Collections.unmodifiableMap(map);
  }

  /** A response with a body of the given content type. */
  public static HttpResponse of(int status, String contentType, byte[] body) {
    return new HttpResponse(status, Map.of("Content-Type", contentType), body);
  }

  /** A plain-text (UTF-8) response. */
  public static HttpResponse text(int status, String text) {
    return of(status, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A JSON response ({@code application/json}) of already serialised JSON. */
  public static HttpResponse json(int status, String json) {
    return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** A response without a body, such as {@code 204 No Content}. */
  public static HttpResponse empty(int status) {
    return new HttpResponse(status, Map.of(), EMPTY);
  }

  /** A redirect ({@code 301}, {@code 302}, {@code 303}, {@code 307}, {@code 308}) to {@code location}. */
  public static HttpResponse redirect(int status, String location) {
    if (status < 300 || status > 399) {
      throw new IllegalArgumentException("not a redirect status: " + status);
    }
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Location", location);
    h.put("Content-Type", TEXT);
    return new HttpResponse(status, h, ("see " + location + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A streamed response of unknown length: sent with chunked coding.
   *
   * @param status the status code
   * @param contentType the body's content type
   * @param writer writes the body as it is sent
   */
  public static HttpResponse stream(int status, String contentType, BodyWriter writer) {
    return stream(status, contentType, -1, writer);
  }

  /**
   * A streamed response of known length: sent with {@code Content-Length}.
   *
   * @param status the status code
   * @param contentType the body's content type
   * @param length the exact number of bytes {@code writer} writes, or -1 if unknown
   * @param writer writes the body as it is sent
   */
  public static HttpResponse stream(int status, String contentType, long length, BodyWriter writer) {
    return stream(status, Map.of("Content-Type", contentType), length, writer);
  }

  /**
   * A streamed response with the given header fields.
   *
   * @param status the status code
   * @param headers header fields, sent in the map's order
   * @param length the exact number of bytes {@code writer} writes, or -1 if unknown
   * @param writer writes the body as it is sent
   */
  public static HttpResponse stream(int status, Map<String, String> headers, long length, BodyWriter writer) {
    if (length < -1) {
      throw new IllegalArgumentException("negative length: " + length);
    }
    return new HttpResponse(status, single(headers), null, Objects.requireNonNull(writer, "writer"), length);
  }

  /**
   * This response with one more header value (kept in addition to any of the same name, as for
   * {@code Set-Cookie}).
   */
  public HttpResponse withHeader(String name, String value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Map<String, List<String>> h = new LinkedHashMap<>(headers);
    List<String> values = new ArrayList<>(h.getOrDefault(name, List.of()));
    values.add(value);
    h.put(name, List.copyOf(values));
    return new HttpResponse(status, Collections.unmodifiableMap(h), body, writer, length);
  }

  /** The status code. */
  public int status() {
    return status;
  }

  /** Header fields in the order they are sent, names as given. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header, by case-insensitive name. */
  public Optional<String> header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return Optional.of(e.getValue().get(0));
      }
    }
    return Optional.empty();
  }

  /** Whether the body is written by a {@link BodyWriter} as it is sent. */
  public boolean isStreamed() {
    return writer != null;
  }

  /** The body's length in bytes, or -1 for a streamed body of unknown length. */
  public long contentLength() {
    return length;
  }

  /** The writer of a streamed body, or {@code null}. */
  public BodyWriter writer() {
    return writer;
  }

  /**
   * The body's bytes. For a streamed response this runs the writer into memory (meant for tests of
   * handlers; the server never calls it).
   */
  public byte[] body() {
    if (writer == null) {
      return body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The body decoded as UTF-8 (see {@link #body()}). */
  public String bodyText() {
    return new String(body(), StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "HttpResponse(" + status + ", " + headers.keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList()
        + (writer == null ? ", " + body.length + " bytes)" : ", streamed)");
  }
}
