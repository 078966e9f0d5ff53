package org.mirage4j.drivers.http;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.http.HttpException;
import org.mirage4j.api.http.HttpResponse;
import org.mirage4j.api.http.Router;
import org.mirage4j.drivers.socket.SocketStack;

/** Streamed bodies both ways, errors from handlers, the router on a server, the listen address. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpFeaturesTest {

  ServerFixture fx;

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n";
  }

  /** Reads a chunked body off the wire, checking the framing. */
  static String readChunked(InputStream in) throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line(in);
      int n = Integer.parseInt(size, 16);
      if (n == 0) {
        assertThat(line(in)).isEmpty(); // no trailers
        return body.toString(StandardCharsets.UTF_8);
      }
      body.write(in.readNBytes(n));
      assertThat(line(in)).isEmpty();
    }
  }

  static String line(InputStream in) throws Exception {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new java.io.EOFException();
      }
      line.write(b);
    }
    String s = line.toString(StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  static java.util.Map<String, String> headers(InputStream in) throws Exception {
    java.util.Map<String, String> h = new java.util.LinkedHashMap<>();
    String l;
    while (!(l = line(in)).isEmpty()) {
      int colon = l.indexOf(':');
      h.put(l.substring(0, colon).toLowerCase(java.util.Locale.ROOT), l.substring(colon + 1).strip());
    }
    return h;
  }

  final HttpResponse.BodyWriter threePieces =
      out -> {
        out.write("one,".getBytes(StandardCharsets.UTF_8));
        out.flush();
        out.write("two,".getBytes(StandardCharsets.UTF_8));
        out.write("three".getBytes(StandardCharsets.UTF_8));
      };

  @Test
  void aResponseOfUnknownLengthIsChunked() throws Exception {
    AtomicInteger writes = new AtomicInteger();
    fx = new ServerFixture(
        request -> HttpResponse.stream(200, "text/plain", out -> {
          writes.incrementAndGet();
          threePieces.writeTo(out);
        }));
    try (RawClient raw = fx.raw()) {
      InputStream in = raw.socket.getInputStream();
      raw.send(get("/s"));
      assertThat(line(in)).isEqualTo("HTTP/1.1 200 OK");
      var h = headers(in);
      assertThat(h).containsEntry("transfer-encoding", "chunked");
      assertThat(h).doesNotContainKey("content-length");
      assertThat(readChunked(in)).isEqualTo("one,two,three");
      // HEAD: the head only, and the writer is never called
      raw.send("HEAD /s HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(line(in)).isEqualTo("HTTP/1.1 200 OK");
      var hh = headers(in);
      assertThat(hh).doesNotContainKey("transfer-encoding");
      assertThat(hh).doesNotContainKey("content-length");
      // the connection is still in step
      raw.send(get("/again"));
      assertThat(line(in)).isEqualTo("HTTP/1.1 200 OK");
      headers(in);
      assertThat(readChunked(in)).isEqualTo("one,two,three");
    }
    assertThat(writes.get()).isEqualTo(2);
    // the JDK client decodes it
    var response = fx.client.send(java.net.http.HttpRequest.newBuilder(fx.uri("/")).build(), BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("one,two,three");
  }

  @Test
  void toAnHttp10ClientAStreamEndsWithTheConnection() throws Exception {
    fx = new ServerFixture(request -> HttpResponse.stream(200, "text/plain", threePieces));
    try (RawClient raw = fx.raw()) {
      InputStream in = raw.socket.getInputStream();
      raw.send("GET /s HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      assertThat(line(in)).isEqualTo("HTTP/1.1 200 OK");
      var h = headers(in);
      assertThat(h).containsEntry("connection", "close");
      assertThat(h).doesNotContainKey("transfer-encoding");
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("one,two,three");
    }
  }

  @Test
  void aStreamOfKnownLengthHasContentLengthAndAShortOneEndsTheConnection() throws Exception {
    fx = new ServerFixture(
        request -> request.path().equals("/short")
            ? HttpResponse.stream(200, "text/plain", 100, out -> out.write(new byte[10]))
            : HttpResponse.stream(200, "text/plain", 13, threePieces));
    try (RawClient raw = fx.raw()) {
      raw.send(get("/exact"));
      RawClient.Response r = raw.read();
      assertThat(r.header("content-length")).isEqualTo("13");
      assertThat(r.text()).isEqualTo("one,two,three");
      raw.send(get("/short"));
      InputStream in = raw.socket.getInputStream();
      assertThat(line(in)).isEqualTo("HTTP/1.1 200 OK");
      assertThat(headers(in)).containsEntry("content-length", "100");
      assertThat(in.readAllBytes()).hasLength(10); // then the server closes: the client sees it short
    }
  }

  @Test
  void aLargeUploadIsReadAsAStream() throws Exception {
    byte[] data = new byte[5 * 1024 * 1024 + 3];
    new java.util.Random(7).nextBytes(data);
    fx = new ServerFixture(
        request -> {
          MessageDigest sha;
          try {
            sha = MessageDigest.getInstance("SHA-256");
          } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
          }
          byte[] piece = new byte[4096];
          long total = 0;
          int n;
          try (InputStream in = request.body()) {
            while ((n = in.read(piece)) > 0) {
              sha.update(piece, 0, n);
              total += n;
            }
          }
          return HttpResponse.text(200, total + " " + HexFormat.of().formatHex(sha.digest()));
        },
        StackHttpServer.Limits.defaults().withMaxBodyBytes(8L * 1024 * 1024));
    String expected = data.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    var fixed = fx.client.send(
        java.net.http.HttpRequest.newBuilder(fx.uri("/up")).PUT(BodyPublishers.ofByteArray(data)).build(),
        BodyHandlers.ofString());
    assertThat(fixed.body()).isEqualTo(expected);
    // chunked: the JDK client sends a body of unknown length chunked
    var chunked = fx.client.send(
        java.net.http.HttpRequest.newBuilder(fx.uri("/up"))
            .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(data)))
            .build(),
        BodyHandlers.ofString());
    assertThat(chunked.body()).isEqualTo(expected);
    // over the limit, chunked: 413 when the handler reads past it
    byte[] tooBig = new byte[9 * 1024 * 1024];
    var refused = fx.client.send(
        java.net.http.HttpRequest.newBuilder(fx.uri("/up"))
            .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(tooBig)))
            .build(),
        BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(413);
  }

  @Test
  void handlersEndRequestsWithHttpException() throws Exception {
    fx = new ServerFixture(
        request -> {
          throw new HttpException(404, "no such key: " + request.path());
        });
    try (RawClient raw = fx.raw()) {
      raw.send(get("/k"));
      RawClient.Response r = raw.read();
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.text()).isEqualTo("404 Not Found: no such key: /k\n");
      raw.send(get("/still-open"));
      assertThat(raw.read().status()).isEqualTo(404);
    }
  }

  @Test
  void invalidResponseHeadersBecome500() throws Exception {
    fx = new ServerFixture(request -> HttpResponse.text(200, "x").withHeader("X-Bad", "a\r\nInjected: yes"));
    try (RawClient raw = fx.raw()) {
      raw.send(get("/"));
      RawClient.Response r = raw.read();
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.header("injected")).isNull();
    }
  }

  @Test
  void aRouterOnTheServer() throws Exception {
    fx = new ServerFixture(
        Router.builder()
            .get("/items/{id}", request -> HttpResponse.text(200, "item " + request.pathParam("id")))
            .put("/items/{id}", request -> HttpResponse.text(201, "stored " + request.bodyText()))
            .build());
    try (RawClient raw = fx.raw()) {
      raw.send(get("/items/%C3%A9t%C3%A9"));
      assertThat(raw.read().text()).isEqualTo("item été");
      raw.send("PUT /items/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
      RawClient.Response put = raw.read();
      assertThat(put.status()).isEqualTo(201);
      assertThat(put.text()).isEqualTo("stored abc");
      raw.send("DELETE /items/1 HTTP/1.1\r\nHost: t\r\n\r\n");
      RawClient.Response delete = raw.read();
      assertThat(delete.status()).isEqualTo(405);
      assertThat(delete.header("allow")).isEqualTo("GET, PUT, HEAD, OPTIONS");
      raw.send("OPTIONS /items/1 HTTP/1.1\r\nHost: t\r\n\r\n");
      RawClient.Response options = raw.read();
      assertThat(options.status()).isEqualTo(204);
      assertThat(options.header("content-length")).isNull();
      raw.send(get("/other"));
      assertThat(raw.read().status()).isEqualTo(404);
    }
  }

  @Test
  void listensOnItsAddressOnly() throws Exception {
    try (SocketStack stack = new SocketStack()) {
      stack.connect();
      StackHttpServer server =
          new StackHttpServer(stack, InetAddress.getByName("127.0.0.1"), 0, StackHttpServer.Limits.defaults());
      server.connect();
      Thread serving = new Thread(() -> {
        try {
          server.serve(request -> HttpResponse.text(200, "here"));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      serving.start();
      try {
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/");
        try (Socket s = new Socket()) {
          assertThrows(java.net.ConnectException.class,
              () -> s.connect(new InetSocketAddress("127.0.0.2", server.port()), 5000));
        }
        try (RawClient raw = new RawClient(server.port())) {
          raw.send(get("/"));
          assertThat(raw.read().text()).isEqualTo("here");
        }
      } finally {
        server.close();
        serving.join(10_000);
      }
      // an address that is not the host's: a clear error at connect
      StackHttpServer elsewhere =
          new StackHttpServer(stack, InetAddress.getByName("192.0.2.1"), 0, StackHttpServer.Limits.defaults());
      java.io.IOException e = assertThrows(java.io.IOException.class, elsewhere::connect);
      assertThat(e).hasMessageThat().startsWith("cannot listen on 192.0.2.1:0: ");
    }
  }

  @Test
  void closeLetsRequestsInFlightFinish() throws Exception {
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    fx = new ServerFixture(
        request -> {
          if (request.path().equals("/slow")) {
            inHandler.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return HttpResponse.stream(200, "text/plain", threePieces);
          }
          return HttpResponse.text(200, "quick");
        });
    RawClient idle = fx.raw();
    idle.send(get("/quick"));
    assertThat(idle.read().text()).isEqualTo("quick");
    try (RawClient busy = fx.raw()) {
      busy.send(get("/slow"));
      inHandler.await(30, TimeUnit.SECONDS);
      Thread closer = new Thread(() -> {
        try {
          fx.server.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      closer.start();
      assertThat(idle.closedByServer()).isTrue(); // nothing in flight: closed at once
      idle.close();
      assertThat(closer.isAlive()).isTrue(); // still draining
      release.countDown();
      InputStream in = busy.socket.getInputStream();
      assertThat(line(in)).isEqualTo("HTTP/1.1 200 OK");
      assertThat(headers(in)).containsEntry("connection", "close");
      assertThat(readChunked(in)).isEqualTo("one,two,three");
      closer.join(20_000);
      assertThat(closer.isAlive()).isFalse();
      assertThat(busy.closedByServer()).isTrue();
    }
    assertThat(List.of(fx.serveThread.isAlive())).containsExactly(false);
  }
}
