package org.mirage4j.drivers.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 * chosen by extension ({@link #contentType}), a strong {@code ETag} made of {@link KvRo#digest}, and
 * {@code Last-Modified} when the store knows it; a matching {@code If-None-Match} is answered {@code
 * 304}. Missing keys are {@code 404}. Paths that try to leave the tree ({@code .}/{@code ..} segments,
 * backslashes, NUL or other control characters) are refused with {@code 400} and never reach the
 * store, which refuses them a second time on its own. Methods other than {@code GET} and {@code HEAD}
 * are answered {@code 405}. Paths with empty segments ({@code //}) name no file: {@code 404}.
 */
public final class StaticFiles implements HttpHandler {

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

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final KvRo kv;

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
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return new HttpResponse(
          405, Map.of("Allow", "GET, HEAD", "Content-Type", "text/plain; charset=utf-8"), text("405 Method Not Allowed"));
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
        if (kind.isPresent() && kind.get() == KvRo.Kind.DICTIONARY) {
          String location = encodePath(path) + "/" + (request.query().isEmpty() ? "" : "?" + request.query());
          return new HttpResponse(
              301,
              Map.of("Location", location, "Content-Type", "text/plain; charset=utf-8"),
              text("moved to " + location));
        }
      }
      String etag = "\"" + kv.digest(key) + "\"";
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("ETag", etag);
      Instant modified = kv.lastModified(key);
      if (modified != null && !modified.equals(Instant.EPOCH)) {
        headers.put("Last-Modified", HTTP_DATE.format(modified));
      }
      headers.put("Cache-Control", "no-cache");
      Optional<String> ifNoneMatch = request.header("If-None-Match");
      if (ifNoneMatch.isPresent() && matches(ifNoneMatch.get(), etag)) {
        return new HttpResponse(304, headers, new byte[0]);
      }
      byte[] body = kv.get(key);
      Map<String, String> full = new LinkedHashMap<>();
      full.put("Content-Type", contentType(key));
      full.put("X-Content-Type-Options", "nosniff");
      full.putAll(headers);
      return new HttpResponse(200, full, body);
    } catch (KvException.NotFound e) {
      return error(404, "404 Not Found: " + path);
    } catch (KvException.BadKey e) {
      return error(400, "400 Bad Request: path leaves the served tree");
    }
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
  static String encodePath(String path) {
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
