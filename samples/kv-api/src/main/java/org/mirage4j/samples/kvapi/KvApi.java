package org.mirage4j.samples.kvapi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.mirage4j.api.Console;
import org.mirage4j.api.HttpServer;
import org.mirage4j.api.Job;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRo;
import org.mirage4j.api.KvRw;
import org.mirage4j.api.http.HttpException;
import org.mirage4j.api.http.HttpHandler;
import org.mirage4j.api.http.HttpRequest;
import org.mirage4j.api.http.HttpResponse;
import org.mirage4j.api.http.Router;

/**
 * A key-value store over HTTP, on a {@link KvRw}:
 *
 * <ul>
 *   <li>{@code PUT /kv/<key>} stores the request body: {@code 201 Created}, or {@code 204} when it
 *       replaced a value;
 *   <li>{@code GET /kv/<key>} returns it, with an {@code ETag} ({@code If-None-Match} gives
 *       {@code 304}); a key ending in {@code /} lists a dictionary as JSON;
 *   <li>{@code DELETE /kv/<key>} removes it: {@code 204}, or {@code 404} if there was nothing;
 *   <li>{@code GET /health} answers {@code ok}.
 * </ul>
 */
public final class KvApi implements Job {

  /** Values up to this size are read whole; larger ones are streamed in pieces of this size. */
  static final int PIECE = 64 * 1024;

  private final Console console;
  private final HttpServer http;
  private final KvRw store;

  /** The console, the server and the store. */
  public KvApi(Console console, HttpServer http, KvRw store) {
    this.console = console;
    this.http = http;
    this.store = store;
  }

  @Override
  public void start() throws Exception {
    console.log("kv-api: PUT, GET and DELETE http://localhost:" + http.port() + "/kv/<key>");
    http.serve(routes());
  }

  /** The API. */
  HttpHandler routes() {
    return Router.builder()
        .get("/kv/{key...}", this::get)
        .put("/kv/{key...}", this::put)
        .delete("/kv/{key...}", this::delete)
        .get("/health", request -> HttpResponse.text(200, "ok\n"))
        .build();
  }

  private HttpResponse get(HttpRequest request) throws IOException {
    String key = request.pathParam("key");
    if (key.isEmpty() || key.endsWith("/")) {
      return list(key);
    }
    Optional<KvRo.Kind> kind = exists(key);
    if (kind.isEmpty()) {
      throw new HttpException(404, "no value at '" + key + "'");
    }
    if (kind.get() == KvRo.Kind.DICTIONARY) {
      return list(key + "/");
    }
    String etag = "\"" + store.digest(key) + "\"";
    if (request.header("If-None-Match").map(etag::equals).orElse(false)) {
      return HttpResponse.empty(304).withHeader("ETag", etag);
    }
    long size = store.size(key);
    if (size <= PIECE) {
      return HttpResponse.of(200, "application/octet-stream", store.get(key)).withHeader("ETag", etag);
    }
    // a large value goes out piece by piece, never held whole
    return HttpResponse.stream(
            200, "application/octet-stream", size,
            out -> {
              long at = 0;
              while (at < size) {
                ByteBuffer piece = store.getPartial(key, at, (int) Math.min(PIECE, size - at));
                if (!piece.hasRemaining()) {
                  throw new IOException("'" + key + "' shrank while being sent");
                }
                int n = piece.remaining();
                if (piece.hasArray()) {
                  out.write(piece.array(), piece.arrayOffset() + piece.position(), n);
                } else {
                  byte[] copy = new byte[n];
                  piece.get(copy);
                  out.write(copy);
                }
                at += n;
              }
            })
        .withHeader("ETag", etag);
  }

  private HttpResponse list(String dictionary) throws IOException {
    String key = dictionary.isEmpty() ? "" : dictionary.substring(0, dictionary.length() - 1);
    List<KvRo.Entry> entries;
    try {
      entries = store.list(key);
    } catch (KvException.NotFound e) {
      throw new HttpException(404, "no dictionary at '" + dictionary + "'");
    } catch (KvException.BadKey e) {
      throw new HttpException(400, e.getMessage());
    }
    StringBuilder json = new StringBuilder("[");
    for (KvRo.Entry e : entries) {
      if (json.length() > 1) {
        json.append(',');
      }
      json.append("{\"name\":").append(quote(e.name()))
          .append(",\"kind\":\"").append(e.kind() == KvRo.Kind.VALUE ? "value" : "dictionary").append("\"}");
    }
    return HttpResponse.json(200, json.append("]\n").toString());
  }

  private HttpResponse put(HttpRequest request) throws IOException {
    String key = request.pathParam("key");
    if (key.isEmpty() || key.endsWith("/")) {
      throw new HttpException(400, "a value needs a key that does not end in '/'");
    }
    Optional<KvRo.Kind> kind = exists(key);
    if (kind.isPresent() && kind.get() == KvRo.Kind.DICTIONARY) {
      throw new HttpException(409, "'" + key + "' is a dictionary");
    }
    byte[] value = request.bodyBytes(); // bounded by --http-max-body (413 beyond it)
    try {
      store.set(key, value);
    } catch (KvException.BadKey e) {
      throw new HttpException(400, e.getMessage());
    }
    if (kind.isPresent()) {
      return HttpResponse.empty(204);
    }
    return HttpResponse.text(201, "stored " + value.length + " bytes at '" + key + "'\n")
        .withHeader("Location", "/kv/" + key);
  }

  private HttpResponse delete(HttpRequest request) throws IOException {
    String key = request.pathParam("key");
    if (exists(key).isEmpty()) {
      throw new HttpException(404, "no value at '" + key + "'");
    }
    store.remove(key);
    return HttpResponse.empty(204);
  }

  private Optional<KvRo.Kind> exists(String key) throws IOException {
    try {
      return store.exists(key);
    } catch (KvException.BadKey e) {
      throw new HttpException(400, e.getMessage());
    }
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
