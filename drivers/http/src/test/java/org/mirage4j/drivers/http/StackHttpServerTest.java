package org.mirage4j.drivers.http;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.http.HttpHandler;
import org.mirage4j.api.http.HttpRequest;
import org.mirage4j.api.http.HttpResponse;
import org.mirage4j.drivers.socket.SocketStack;

@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StackHttpServerTest {

  /** A request the handler saw, with its body as read. */
  record Seen(HttpRequest request, byte[] body) {}

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  final AtomicInteger calls = new AtomicInteger();

  /** Reads the body and echoes what it was asked; fails on /boom. */
  final HttpHandler echo =
      request -> {
        calls.incrementAndGet();
        byte[] body = request.bodyBytes();
        seen.add(new Seen(request, body));
        if (request.path().equals("/boom")) {
          throw new IllegalStateException("boom");
        }
        String text =
            request.method() + " " + request.path() + " ?" + request.query() + " host="
                + request.header("host").orElse("-");
        return new HttpResponse(
            200,
            Map.of("Content-Type", "text/plain; charset=utf-8", "X-Test", "yes", "Content-Length", "999"),
            text.getBytes(StandardCharsets.UTF_8));
      };

  ServerFixture fx;

  @BeforeEach
  void start() throws Exception {
    fx = new ServerFixture(echo);
  }

  @AfterEach
  void stop() throws Exception {
    fx.close();
    assertThat(fx.serveThread.isAlive()).isFalse();
    assertThat(fx.serveFailure.get()).isNull();
  }

  static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
  }

  // ---- normal requests with the JDK's client ----

  @Test
  void getWithTheJdkClient() throws Exception {
    var response =
        fx.client.send(
            java.net.http.HttpRequest.newBuilder(fx.uri("/hello%20world?x=1&y")).build(),
            BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("GET /hello world ?x=1&y host=127.0.0.1:" + fx.port());
    assertThat(response.headers().firstValue("x-test")).hasValue("yes");
    assertThat(response.headers().firstValue("date")).isPresent();
    // The server's own Content-Length wins over the handler's.
    assertThat(response.headers().firstValue("content-length"))
        .hasValue(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
  }

  @Test
  void headSendsTheLengthButNoBody() throws Exception {
    var response =
        fx.client.send(
            java.net.http.HttpRequest.newBuilder(fx.uri("/h"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(),
            BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(response.headers().firstValue("content-length")).hasValue(String.valueOf("HEAD /h ? host=127.0.0.1:".length() + String.valueOf(fx.port()).length()));
    // On one connection: if HEAD had sent a body, the next response would be garbled.
    try (RawClient raw = fx.raw()) {
      raw.send("HEAD /a HTTP/1.1\r\nHost: test\r\n\r\n");
      RawClient.Response head = raw.read(true);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("content-length")).isEqualTo(String.valueOf("HEAD /a ? host=test".length()));
      raw.send(get("/b"));
      RawClient.Response next = raw.read();
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.text()).isEqualTo("GET /b ? host=test");
    }
  }

  @Test
  void everyMethodReachesTheHandlerWithItsBody() throws Exception {
    var response =
        fx.client.send(
            java.net.http.HttpRequest.newBuilder(fx.uri("/x")).POST(BodyPublishers.ofString("data")).build(),
            BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("POST /x ? host=127.0.0.1:" + fx.port());
    try (RawClient raw = fx.raw()) {
      raw.send("PUT /x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
      assertThat(raw.read().text()).isEqualTo("PUT /x ? host=t");
      raw.send("DELETE /x HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
      assertThat(raw.read().text()).isEqualTo("DELETE /x ? host=t");
      raw.send("PATCH /x HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}");
      assertThat(raw.read().text()).isEqualTo("PATCH /x ? host=t");
      raw.send("PURGE /cache HTTP/1.1\r\nHost: t\r\n\r\n"); // an extension method
      assertThat(raw.read().text()).isEqualTo("PURGE /cache ? host=t");
      raw.send("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(raw.read().text()).isEqualTo("OPTIONS * ? host=t");
      raw.send(get("/after"));
      assertThat(raw.read().text()).isEqualTo("GET /after ? host=test");
    }
    assertThat(calls.get()).isEqualTo(7);
    assertThat(new String(seen.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("data");
    assertThat(new String(seen.get(1).body(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(seen.get(1).request().contentLength()).hasValue(5);
    assertThat(new String(seen.get(2).body(), StandardCharsets.UTF_8)).isEqualTo("abc");
    assertThat(seen.get(2).request().contentLength()).isEmpty();
  }

  @Test
  void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
    try (RawClient raw = fx.raw()) {
      for (int i = 0; i < 5; i++) {
        raw.send(get("/r" + i));
        RawClient.Response r = raw.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("GET /r" + i + " ? host=test");
        assertThat(r.header("connection")).isNull();
      }
      // Pipelined: two requests in one write, two responses in order.
      raw.send(get("/p1") + get("/p2"));
      assertThat(raw.read().text()).isEqualTo("GET /p1 ? host=test");
      assertThat(raw.read().text()).isEqualTo("GET /p2 ? host=test");
      raw.send("GET /last HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
      RawClient.Response last = raw.read();
      assertThat(last.header("connection")).isEqualTo("close");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void jdkClientReusesTheConnection() throws Exception {
    for (int i = 0; i < 3; i++) {
      var response =
          fx.client.send(
              java.net.http.HttpRequest.newBuilder(fx.uri("/k" + i)).build(), BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
    }
    assertThat(seen).hasSize(3);
  }

  @Test
  void http10ClosesUnlessAskedToKeepAlive() throws Exception {
    try (RawClient raw = fx.raw()) {
      raw.send("GET /old HTTP/1.0\r\n\r\n");
      RawClient.Response r = raw.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.statusLine()).startsWith("HTTP/1.1 200");
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(raw.closedByServer()).isTrue();
    }
    try (RawClient raw = fx.raw()) {
      raw.send("GET /one HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      RawClient.Response one = raw.read();
      assertThat(one.header("connection")).isEqualTo("keep-alive");
      raw.send("GET /two HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
      assertThat(raw.read().text()).isEqualTo("GET /two ? host=-");
    }
  }

  @Test
  void requestsPerConnectionAreLimited() throws Exception {
    fx.close();
    fx = new ServerFixture(echo, StackHttpServer.Limits.defaults().withMaxRequestsPerConnection(3));
    try (RawClient raw = fx.raw()) {
      raw.send(get("/1"));
      assertThat(raw.read().header("connection")).isNull();
      raw.send(get("/2"));
      assertThat(raw.read().header("connection")).isNull();
      raw.send(get("/3"));
      RawClient.Response third = raw.read();
      assertThat(third.status()).isEqualTo(200);
      assertThat(third.header("connection")).isEqualTo("close");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void pipelinedRequestsUpToTheLimit() throws Exception {
    fx.close();
    fx = new ServerFixture(echo, StackHttpServer.Limits.defaults().withMaxRequestsPerConnection(100));
    try (RawClient raw = fx.raw()) {
      StringBuilder all = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        all.append(get("/" + i));
      }
      raw.send(all.toString());
      for (int i = 0; i < 99; i++) {
        assertThat(raw.read().header("connection")).isNull();
      }
      assertThat(raw.read().header("connection")).isEqualTo("close");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void chunkedBodiesWithExtensionsAndTrailersAreRead() throws Exception {
    try (RawClient raw = fx.raw()) {
      raw.send(
          "GET /chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n");
      assertThat(raw.read().status()).isEqualTo(200);
      raw.send(get("/after"));
      assertThat(raw.read().text()).isEqualTo("GET /after ? host=test");
    }
    assertThat(new String(seen.get(0).body(), StandardCharsets.US_ASCII)).isEqualTo("hello, world");
    assertThat(seen.get(0).request().contentLength()).isEmpty();
  }

  @Test
  void absoluteFormTargetsAndLeadingEmptyLines() throws Exception {
    try (RawClient raw = fx.raw()) {
      raw.send("GET http://example.com/abs/p%41th?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
      assertThat(raw.read().text()).isEqualTo("GET /abs/pAth ?q=1 host=example.com");
      raw.send("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n");
      assertThat(raw.read().text()).isEqualTo("GET / ? host=example.com");
      raw.send("\r\n\r\nGET /after-blank-lines HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(raw.read().text()).isEqualTo("GET /after-blank-lines ? host=t");
    }
  }

  @Test
  void largeResponsesArriveWhole() throws Exception {
    byte[] big = new byte[3 * 1024 * 1024 + 17];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 7 + (i >> 11));
    }
    fx.close();
    fx = new ServerFixture(request -> HttpResponse.of(200, "application/octet-stream", big));
    var response =
        fx.client.send(java.net.http.HttpRequest.newBuilder(fx.uri("/big")).build(), BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(java.util.Arrays.equals(response.body(), big)).isTrue();
  }

  @Test
  void manyConcurrentClients() throws Exception {
    int threads = 16;
    int each = 25;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int id = t;
        results.add(
            pool.submit(
                () -> {
                  int ok = 0;
                  try (RawClient raw = fx.raw()) {
                    for (int i = 0; i < each; i++) {
                      raw.send(get("/c" + id + "/" + i));
                      if (raw.read().text().equals("GET /c" + id + "/" + i + " ? host=test")) {
                        ok++;
                      }
                    }
                  }
                  return ok;
                }));
      }
      for (var result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(each);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(calls.get()).isEqualTo(threads * each);
  }

  // ---- bad input ----

  void assertRefused(String request, int status) throws Exception {
    try (RawClient raw = fx.raw()) {
      raw.send(request);
      RawClient.Response r = raw.read();
      assertThat(r.status()).isEqualTo(status);
      assertThat(r.header("connection")).isEqualTo("close");
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void malformedRequestsGet400() throws Exception {
    for (String bad :
        List.of(
            "GARBAGE\r\n\r\n",
            "GET /\r\n\r\n",
            "GET  / HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET / HTTP/1.1 extra\r\nHost: t\r\n\r\n",
            "GET / HTTP/1.x\r\nHost: t\r\n\r\n",
            "GET / http/1.1\r\nHost: t\r\n\r\n",
            "G(T / HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET nopath HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n", // no Host
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: t\r\nNo colon here\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: t\r\n: empty name\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: t\r\nX: a\r\n folded\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: t\r\nX: a\u0001b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
            "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET /a%zz HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /a%2 HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /%ff%fe HTTP/1.1\r\nHost: t\r\n\r\n",
            "GET /a#frag HTTP/1.1\r\nHost: t\r\n\r\n")) {
      assertRefused(bad, 400);
    }
    assertThat(calls.get()).isEqualTo(0);
    // A malformed chunk is found when the handler reads the body: the answer is still 400.
    assertRefused("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400);
    assertRefused("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n", 400);
    assertThat(seen).isEmpty();
  }

  @Test
  void pathsThatTryToLeaveTheTreeGet400() throws Exception {
    for (String target :
        List.of(
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/.%2e/etc/passwd",
            "/a/%2e%2e%2f%2e%2e%2fetc/passwd",
            "/..%2fetc%2fpasswd",
            "/a%2Fb",
            "/..%5cetc",
            "/a\\..\\b",
            "/a%00.html",
            "/./a",
            "/a/.")) {
      assertRefused("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n", 400);
    }
    assertThat(calls.get()).isEqualTo(0);
  }

  @Test
  void unsupportedVersionAndCodingAreRefused() throws Exception {
    assertRefused("GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505);
    assertRefused("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501);
  }

  @Test
  void oversizedRequestLineGets414() throws Exception {
    assertRefused("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414);
  }

  @Test
  void oversizedHeaderSectionGets431() throws Exception {
    StringBuilder big = new StringBuilder("GET / HTTP/1.1\r\nHost: t\r\n");
    for (int i = 0; i < 40; i++) {
      big.append("X-Filler-").append(i).append(": ").append("v".repeat(500)).append("\r\n");
    }
    big.append("\r\n");
    assertRefused(big.toString(), 431);
    assertRefused("GET / HTTP/1.1\r\nHost: t\r\nX-Huge: " + "h".repeat(17_000) + "\r\n\r\n", 431);
    StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: t\r\n");
    for (int i = 0; i < 101; i++) {
      many.append("X-").append(i).append(": 1\r\n");
    }
    assertRefused(many.append("\r\n").toString(), 431);
    // Just under the limit is fine.
    StringBuilder fits = new StringBuilder("GET /fits HTTP/1.1\r\nHost: t\r\n");
    for (int i = 0; i < 30; i++) {
      fits.append("X-Filler-").append(i).append(": ").append("v".repeat(500)).append("\r\n");
    }
    try (RawClient raw = fx.raw()) {
      raw.send(fits.append("\r\n").toString());
      assertThat(raw.read().status()).isEqualTo(200);
    }
  }

  @Test
  void oversizedBodiesGet413() throws Exception {
    fx.close();
    fx = new ServerFixture(echo, StackHttpServer.Limits.defaults().withMaxBodyBytes(1024));
    assertRefused("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 2048\r\n\r\n" + "b".repeat(2048), 413);
    assertRefused("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999999999\r\n\r\n", 413);
    assertRefused(
        "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + "c".repeat(1024)
            + "\r\n1\r\nd\r\n0\r\n\r\n",
        413);
    // At the limit the body is read and the connection stays open.
    try (RawClient raw = fx.raw()) {
      raw.send("GET /withbody HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n" + "e".repeat(1024));
      assertThat(raw.read().status()).isEqualTo(200);
      raw.send(get("/next"));
      assertThat(raw.read().text()).isEqualTo("GET /next ? host=test");
    }
    assertThat(seen.get(0).body()).hasLength(1024);
  }

  @Test
  void expectContinueIsSentWhenTheHandlerReadsTheBody() throws Exception {
    try (RawClient raw = fx.raw()) {
      raw.send("POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
      RawClient.Response interim = raw.read(true);
      assertThat(interim.status()).isEqualTo(100);
      raw.send("abc");
      assertThat(raw.read().text()).isEqualTo("POST /up ? host=t");
    }
    assertThat(new String(seen.get(0).body(), StandardCharsets.US_ASCII)).isEqualTo("abc");
    // an expectation the server does not know
    assertRefused("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 200-ok\r\n\r\nabc", 417);
  }

  @Test
  void aHandlerThatRefusesAnUploadNeverAsksForIt() throws Exception {
    fx.close();
    fx = new ServerFixture(request -> HttpResponse.text(401, "no\n"));
    try (RawClient raw = fx.raw()) {
      raw.send("PUT /big HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
      RawClient.Response r = raw.read();
      assertThat(r.status()).isEqualTo(401); // no 100 Continue first
      assertThat(r.header("connection")).isEqualTo("close"); // the body may or may not follow
      assertThat(raw.closedByServer()).isTrue();
    }
    // Without Expect, an unread body is skipped and the connection goes on.
    try (RawClient raw = fx.raw()) {
      raw.send("PUT /small HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello" + get("/next"));
      assertThat(raw.read().status()).isEqualTo(401);
      RawClient.Response next = raw.read();
      assertThat(next.status()).isEqualTo(401);
      assertThat(next.header("connection")).isNull();
    }
  }

  @Test
  void aClientThatDisconnectsMidRequestIsHandledQuietly() throws Exception {
    try (RawClient raw = fx.raw()) {
      raw.send("GET /partial HTTP/1.1\r\nHost: t\r\nX-Half: ab");
    }
    try (RawClient raw = fx.raw()) {
      raw.send("POST /body HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly ten b");
      raw.socket.shutdownOutput();
      assertThat(raw.closedByServer()).isTrue(); // no response: the request never ended
    }
    try (RawClient raw = fx.raw()) {
      raw.send("GET /reset HTTP/1.1\r\nHo");
      raw.abort();
    }
    try (RawClient raw = fx.raw()) {
      raw.send("GET /chunks HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc");
    }
    assertThat(fx.awaitNoConnections()).isTrue();
    assertThat(seen).isEmpty(); // the handlers that read a cut body saw it fail
    // The server is unharmed.
    var response =
        fx.client.send(java.net.http.HttpRequest.newBuilder(fx.uri("/ok")).build(), BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void aClientThatDisconnectsBeforeReadingItsResponseIsHandledQuietly() throws Exception {
    try (RawClient raw = fx.raw()) {
      StringBuilder many = new StringBuilder();
      for (int i = 0; i < 50; i++) {
        many.append(get("/many" + i));
      }
      raw.send(many.toString());
      raw.abort();
    }
    assertThat(fx.awaitNoConnections()).isTrue();
    try (RawClient raw = fx.raw()) {
      raw.send(get("/fine"));
      assertThat(raw.read().status()).isEqualTo(200);
    }
  }

  @Test
  void idleConnectionsAreClosedWithoutAResponse() throws Exception {
    fx.close();
    fx = new ServerFixture(
        echo,
        StackHttpServer.Limits.defaults()
            .withIdleTimeout(Duration.ofMillis(200))
            .withHeaderTimeout(Duration.ofMillis(300)));
    try (RawClient raw = fx.raw()) {
      assertThat(raw.closedByServer()).isTrue(); // nothing sent within the head timeout
    }
    try (RawClient raw = fx.raw()) {
      raw.send(get("/once"));
      assertThat(raw.read().status()).isEqualTo(200);
      assertThat(raw.closedByServer()).isTrue(); // idle after the response
    }
  }

  @Test
  void aClientThatStopsReadingIsDisconnected() throws Exception {
    byte[] big = new byte[32 * 1024 * 1024]; // far more than the socket buffers hold
    fx.close();
    fx =
        new ServerFixture(
            request -> HttpResponse.of(200, "application/octet-stream", big),
            StackHttpServer.Limits.defaults().withStall(Duration.ofMillis(300), 0));
    try (RawClient raw = fx.raw()) {
      raw.socket.setReceiveBufferSize(4096);
      raw.send(get("/never-read"));
      // The worker blocks in write until the timeout closes the connection.
      assertThat(fx.awaitNoConnections()).isTrue();
    }
    try (RawClient raw = fx.raw()) {
      raw.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(raw.read(true).status()).isEqualTo(200);
    }
  }

  @Test
  void aStalledRequestGets408() throws Exception {
    fx.close();
    fx = new ServerFixture(echo, StackHttpServer.Limits.defaults().withHeaderTimeout(Duration.ofMillis(300)));
    try (RawClient raw = fx.raw()) {
      raw.send("GET /slow HTTP/1.1\r\nHost: t\r\n");
      RawClient.Response r = raw.read();
      assertThat(r.status()).isEqualTo(408);
      assertThat(raw.closedByServer()).isTrue();
    }
    assertThat(calls.get()).isEqualTo(0);
  }

  @Test
  void handlerFailuresBecome500AndCloseTheConnection() throws Exception {
    try (RawClient raw = fx.raw()) {
      raw.send(get("/boom"));
      RawClient.Response r = raw.read();
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.text()).doesNotContain("IllegalStateException");
      assertThat(raw.closedByServer()).isTrue();
    }
    try (RawClient raw = fx.raw()) {
      raw.send(get("/fine"));
      assertThat(raw.read().status()).isEqualTo(200);
    }
  }

  @Test
  void connectionsBeyondTheLimitGet503WhenNoneIsIdle() throws Exception {
    fx.close();
    java.util.concurrent.CountDownLatch inHandler = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    fx = new ServerFixture(
        request -> {
          if (request.path().equals("/hold")) {
            inHandler.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return HttpResponse.text(200, "ok");
        },
        StackHttpServer.Limits.defaults().withMaxConnections(1, 1));
    try (RawClient first = fx.raw()) {
      first.send(get("/hold"));
      inHandler.await(30, TimeUnit.SECONDS); // busy: not to be closed for room
      try (RawClient second = fx.raw()) {
        RawClient.Response refused = second.read();
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("retry-after")).isEqualTo("1");
        assertThat(second.closedByServer()).isTrue();
      }
      release.countDown();
      assertThat(first.read().status()).isEqualTo(200);
      first.send(get("/still"));
      assertThat(first.read().status()).isEqualTo(200);
    }
    assertThat(fx.awaitNoConnections()).isTrue();
    try (RawClient third = fx.raw()) {
      third.send(get("/again"));
      assertThat(third.read().status()).isEqualTo(200);
    }
  }

  @Test
  void closeStopsServingAndDropsOpenConnections() throws Exception {
    RawClient raw = fx.raw();
    raw.send(get("/x"));
    assertThat(raw.read().status()).isEqualTo(200);
    fx.server.close();
    fx.serveThread.join(20_000);
    assertThat(fx.serveThread.isAlive()).isFalse();
    assertThat(raw.closedByServer()).isTrue();
    raw.close();
  }

  @Test
  void serveNeedsConnectAndRunsOnce() throws Exception {
    try (SocketStack stack = new SocketStack()) {
      StackHttpServer server = new StackHttpServer(stack, 0);
      assertThrows(IllegalStateException.class, () -> server.serve(echo));
      assertThrows(IllegalStateException.class, server::port);
      server.close(); // safe without connect
    }
    assertThrows(IllegalStateException.class, () -> fx.server.serve(echo));
    assertThrows(IllegalArgumentException.class, () -> new StackHttpServer(new SocketStack(), 70000));
  }

  @Test
  void connectFailsWhenThePortIsTaken() throws Exception {
    try (SocketStack stack = new SocketStack()) {
      StackHttpServer second = new StackHttpServer(stack, fx.port());
      assertThrows(java.io.IOException.class, second::connect);
    }
  }
}
