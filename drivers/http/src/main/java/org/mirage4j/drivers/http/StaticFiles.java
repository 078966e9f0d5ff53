package org.mirage4j.drivers.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRo;
import org.mirage4j.api.http.HttpHandler;
import org.mirage4j.api.http.HttpRequest;
import org.mirage4j.api.http.HttpResponse;

/**
 * A handler that serves the values of a {@link KvRo} as static files (a crunched or on-disk web
 * site).
 *
 * <p>The request path, less its leading {@code /}, is the key. A path naming a dictionary is
 * redirected to the same path with a trailing {@code /} (so relative links work), and a path ending
 * in {@code /} serves that dictionary's {@code index.html}. Responses carry a {@code Content-Type}
 * chosen by extension ({@link #contentType}), a strong {@code ETag} made of {@link KvRo#digest},
 * {@code Last-Modified} when the store knows it, and {@code Accept-Ranges: bytes}. A matching
 * {@code If-None-Match} (or, without it, an {@code If-Modified-Since} not older than the file) is
 * answered {@code 304}. A single byte range ({@code Range: bytes=0-99}, {@code 100-}, {@code
 * -100}) is answered {@code 206} with {@code Content-Range}, unless an {@code If-Range} names
 * another version (then the whole file, {@code 200}); a range beyond the end is {@code 416}; a
 * request for several ranges gets the whole file. Large files are streamed from the store in
 * pieces, never held whole; the responses of small files are kept while their digest stays the
 * same. Missing keys are {@code 404}. Paths that try to leave the tree ({@code
 * .}/{@code ..} segments, backslashes, NUL or other control characters) are refused with {@code
 * 400} and never reach the store, which refuses them a second time on its own. {@code OPTIONS} is
 * answered {@code 204} with {@code Allow: GET, HEAD, OPTIONS}; other methods {@code 405}. Paths
 * with empty segments ({@code //}) name no file: {@code 404}.
 */
public final class StaticFiles implements HttpHandler {

  /** Files up to this size are read whole; larger ones are streamed in pieces of this size. */
  static final int PIECE = 256 * 1024;

  private static final String ALLOW = "GET, HEAD, OPTIONS";

  private static final Map<String, String> TYPES = new LinkedHashMap<>();

  static {
    String utf8 = "; charset=utf-8";
    TYPES.put("html", "text/html" + utf8);
    TYPES.put("htm", "text/html" + utf8);
    TYPES.put("css", "text/css" + utf8);
    TYPES.put("js", "text/javascript" + utf8);
    TYPES.put("mjs", "text/javascript" + utf8);
    TYPES.put("json", "application/json");
    TYPES.put("map", "application/json");
    TYPES.put("webmanifest", "application/manifest+json");
    TYPES.put("xml", "application/xml");
    TYPES.put("txt", "text/plain" + utf8);
    TYPES.put("md", "text/markdown" + utf8);
    TYPES.put("markdown", "text/markdown" + utf8);
    TYPES.put("csv", "text/csv" + utf8);
    TYPES.put("svg", "image/svg+xml");
    TYPES.put("png", "image/png");
    TYPES.put("jpg", "image/jpeg");
    TYPES.put("jpeg", "image/jpeg");
    TYPES.put("gif", "image/gif");
    TYPES.put("webp", "image/webp");
    TYPES.put("avif", "image/avif");
    TYPES.put("ico", "image/vnd.microsoft.icon");
    TYPES.put("bmp", "image/bmp");
    TYPES.put("woff", "font/woff");
    TYPES.put("woff2", "font/woff2");
    TYPES.put("ttf", "font/ttf");
    TYPES.put("otf", "font/otf");
    TYPES.put("eot", "application/vnd.ms-fontobject");
    TYPES.put("pdf", "application/pdf");
    TYPES.put("wasm", "application/wasm");
    TYPES.put("zip", "application/zip");
    TYPES.put("gz", "application/gzip");
    TYPES.put("mp3", "audio/mpeg");
    TYPES.put("ogg", "audio/ogg");
    TYPES.put("wav", "audio/wav");
    TYPES.put("mp4", "video/mp4");
    TYPES.put("webm", "video/webm");
  }

  /** Whole responses of small files are kept, by key, as long as the file's digest is the same. */
  private static final int CACHED_SIZE = 64 * 1024;
  private static final int CACHED_FILES = 512;

  private record Cached(String digest, HttpResponse response) {}

  private final KvRo kv;
  private final java.util.concurrent.ConcurrentHashMap<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Serves {@code kv}.
   *
   * @param kv the store holding the site; its root is the site's {@code /}
   */
  public StaticFiles(KvRo kv) {
    this.kv = Objects.requireNonNull(kv, "kv");
  }

  /** The content type of a file name by its extension; {@code application/octet-stream} if unknown. */
  public static String contentType(String name) {
    int slash = name.lastIndexOf('/');
    int dot = name.lastIndexOf('.');
    if (dot <= slash + 1 || dot == name.length() - 1) {
      return "application/octet-stream"; // no extension, or a dot file such as ".htaccess"
    }
    String type = TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    return type != null ? type : "application/octet-stream";
  }

  @Override
  public HttpResponse handle(HttpRequest request) throws IOException {
    String method = request.method();
    boolean head = method.equals("HEAD");
    if (method.equals("OPTIONS")) {
      return HttpResponse.empty(204).withHeader("Allow", ALLOW);
    }
    if (!head && !method.equals("GET")) {
      return new HttpResponse(
          405, Map.of("Allow", ALLOW, "Content-Type", "text/plain; charset=utf-8"), text("405 Method Not Allowed"));
    }
    String path = request.path();
    if (path == null || !path.startsWith("/") || !safe(path)) {
      return error(400, "400 Bad Request: path leaves the served tree");
    }
    String key = path.substring(1);
    if (key.startsWith("/") || key.contains("//")) {
      return error(404, "404 Not Found: " + path); // empty segments name no file
    }
    try {
      if (key.isEmpty() || key.endsWith("/")) {
        key = key + "index.html";
      } else {
        Optional<KvRo.Kind> kind = kv.exists(key);
        if (kind.isEmpty()) {
          return error(404, "404 Not Found: " + path);
        }
        if (kind.get() == KvRo.Kind.DICTIONARY) {
          String location = encodePath(path) + "/" + (request.query().isEmpty() ? "" : "?" + request.query());
          return new HttpResponse(
              301,
              Map.of("Location", location, "Content-Type", "text/plain; charset=utf-8"),
              text("moved to " + location));
        }
      }
      String digest = kv.digest(key);
      boolean plainGet = !head && request.headers().get("range") == null
          && request.headers().get("if-none-match") == null && request.headers().get("if-modified-since") == null;
      if (plainGet) {
        Cached hit = cache.get(key);
        if (hit != null && hit.digest.equals(digest)) {
          return hit.response; // immutable, the body shared
        }
      }
      String etag = "\"" + digest + "\"";
      Instant modified = kv.lastModified(key);
      String lastModified =
          modified != null && !modified.equals(Instant.EPOCH) ? HttpDate.format(modified) : null;
      Map<String, String> validators = new LinkedHashMap<>();
      validators.put("ETag", etag);
      if (lastModified != null) {
        validators.put("Last-Modified", lastModified);
      }
      validators.put("Cache-Control", "no-cache");
      if (notModified(request, etag, modified)) {
        return new HttpResponse(304, validators, new byte[0]);
      }
      long size = kv.size(key);
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", contentType(key));
      headers.put("X-Content-Type-Options", "nosniff");
      headers.putAll(validators);
      headers.put("Accept-Ranges", "bytes");
      Optional<String> range = request.header("Range");
      if (range.isPresent() && !head && ifRangeHolds(request, etag, lastModified)) {
        long[] span = parseRange(range.get(), size);
        if (span != null && span.length == 0) {
          return new HttpResponse(
              416,
              Map.of("Content-Range", "bytes */" + size, "Accept-Ranges", "bytes",
                  "Content-Type", "text/plain; charset=utf-8"),
              text("416 Range Not Satisfiable: the file has " + size + " bytes"));
        }
        if (span != null) {
          headers.put("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + size);
          return body(206, headers, key, span[0], span[1] - span[0] + 1, size);
        }
      }
      if (head) {
        return HttpResponse.stream(200, headers, size, out -> {}); // the server never calls it for HEAD
      }
      HttpResponse whole = body(200, headers, key, 0, size, size);
      if (plainGet && size <= CACHED_SIZE && !whole.isStreamed()) {
        if (cache.size() >= CACHED_FILES) {
          cache.clear();
        }
        cache.put(key, new Cached(digest, whole));
      }
      return whole;
    } catch (KvException.NotFound e) {
      return error(404, "404 Not Found: " + path);
    } catch (KvException.BadKey e) {
      return error(400, "400 Bad Request: path leaves the served tree");
    }
  }

  /** The bytes {@code [offset, offset + length)} of {@code key}: read whole, or streamed in pieces. */
  private HttpResponse body(
      int status, Map<String, String> headers, String key, long offset, long length, long size)
      throws IOException {
    if (length <= PIECE) {
      byte[] bytes;
      if (offset == 0 && length == size) {
        bytes = kv.get(key);
      } else {
        bytes = new byte[(int) length];
        fill(key, offset, bytes);
      }
      return new HttpResponse(status, headers, bytes);
    }
    return HttpResponse.stream(
        status, headers, length,
        out -> {
          byte[] piece = new byte[PIECE];
          long at = offset;
          long left = length;
          while (left > 0) {
            int n = (int) Math.min(PIECE, left);
            fill(key, at, java.nio.ByteBuffer.wrap(piece, 0, n));
            out.write(piece, 0, n);
            at += n;
            left -= n;
          }
        });
  }

  private void fill(String key, long offset, byte[] into) throws IOException {
    fill(key, offset, java.nio.ByteBuffer.wrap(into));
  }

  private void fill(String key, long offset, java.nio.ByteBuffer into) throws IOException {
    while (into.hasRemaining()) {
      java.nio.ByteBuffer got = kv.getPartial(key, offset, into.remaining());
      if (!got.hasRemaining()) {
        throw new IOException("'" + key + "' ended early: it changed while being served");
      }
      offset += got.remaining();
      into.put(got);
    }
  }

  /** Whether the client's copy is current: If-None-Match, else If-Modified-Since (RFC 9110 13.2.2). */
  private static boolean notModified(HttpRequest request, String etag, Instant modified) {
    Optional<String> ifNoneMatch = request.header("If-None-Match");
    if (ifNoneMatch.isPresent()) {
      return matches(ifNoneMatch.get(), etag);
    }
    Optional<String> since = request.header("If-Modified-Since");
    if (since.isPresent() && modified != null && !modified.equals(Instant.EPOCH)) {
      Instant when = HttpDate.parse(since.get());
      return when != null && !modified.truncatedTo(ChronoUnit.SECONDS).isAfter(when);
    }
    return false;
  }

  /** Whether {@code If-Range}, if any, names the current version (strong comparison). */
  private static boolean ifRangeHolds(HttpRequest request, String etag, String lastModified) {
    Optional<String> ifRange = request.header("If-Range");
    if (ifRange.isEmpty()) {
      return true;
    }
    String value = ifRange.get().strip();
    if (value.startsWith("\"") || value.startsWith("W/")) {
      return value.equals(etag);
    }
    return lastModified != null && lastModified.equals(value);
  }

  /**
   * The one range {@code bytes=a-b}, {@code a-} or {@code -n} of a file of {@code size} bytes:
   * {@code {first, last}}, an empty array if it cannot be satisfied, or {@code null} to ignore the
   * header (malformed, another unit, or several ranges).
   */
  static long[] parseRange(String header, long size) {
    String value = header.strip();
    if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
      return null;
    }
    String spec = value.substring(6).strip();
    if (spec.indexOf(',') >= 0) {
      return null;
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return null;
    }
    String a = spec.substring(0, dash).strip();
    String b = spec.substring(dash + 1).strip();
    if (!digits(a) && !a.isEmpty() || !digits(b) && !b.isEmpty() || a.isEmpty() && b.isEmpty()) {
      return null;
    }
    if (a.isEmpty()) {
      long suffix = Long.parseLong(b);
      if (suffix == 0 || size == 0) {
        return new long[0];
      }
      return new long[] {Math.max(0, size - suffix), size - 1};
    }
    long first = Long.parseLong(a);
    long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
    if (!b.isEmpty() && Long.parseLong(b) < first) {
      return null; // invalid: ignore
    }
    if (first >= size) {
      return new long[0];
    }
    return new long[] {first, last};
  }

  private static boolean digits(String s) {
    return !s.isEmpty() && s.length() <= 18 && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** Whether a decoded path stays inside the tree: no dot segments, backslashes or control characters. */
  private static boolean safe(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        return false;
      }
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /** Weak comparison of {@code If-None-Match} (RFC 9110 13.1.2) against our strong tag. */
  static boolean matches(String ifNoneMatch, String etag) {
    String value = ifNoneMatch.strip();
    if (value.equals("*")) {
      return true;
    }
    for (String candidate : value.split(",")) {
      String tag = candidate.strip();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /** Percent-encodes a decoded path for a {@code Location} header, keeping {@code /}. */
  public static String encodePath(String path) {
    StringBuilder out = new StringBuilder(path.length() + 8);
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "/-._~!$&'()*+,;=:@".indexOf(c) >= 0;
      if (plain) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static byte[] text(String s) {
    return (s + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse error(int status, String message) {
    return HttpResponse.text(status, message + "\n");
  }

  @Override
  public String toString() {
    return "StaticFiles(" + kv + ")";
  }
}
