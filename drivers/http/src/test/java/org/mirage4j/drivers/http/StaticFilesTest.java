package org.mirage4j.drivers.http;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.KvRo;
import org.mirage4j.api.http.HttpRequest;
import org.mirage4j.api.http.HttpResponse;
import org.mirage4j.drivers.kv.CrunchKvRo;
import org.mirage4j.drivers.kv.DirectoryKvRo;

@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StaticFilesTest {

  static final String SECRET = "TOP SECRET outside the site";

  @TempDir Path tmp;
  ServerFixture fx;

  @AfterEach
  void stop() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  ServerFixture serveCrunch() throws IOException {
    CrunchKvRo kv = new CrunchKvRo("site");
    kv.connect();
    fx = new ServerFixture(new StaticFiles(kv));
    return fx;
  }

  /** A directory site under tmp/site, with a secret next to it and links pointing out. */
  ServerFixture serveDirectory() throws IOException {
    Path site = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(tmp.resolve("secret.txt"), SECRET);
    Files.createDirectories(tmp.resolve("private"));
    Files.writeString(tmp.resolve("private/key.txt"), SECRET);
    Files.writeString(site.resolve("index.html"), "<h1>home</h1>");
    Files.createDirectories(site.resolve("css"));
    Files.writeString(site.resolve("css/site.css"), "body{}");
    Files.createSymbolicLink(site.resolve("leak.txt"), tmp.resolve("secret.txt"));
    Files.createSymbolicLink(site.resolve("leakdir"), tmp.resolve("private"));
    DirectoryKvRo kv = new DirectoryKvRo(site.toString());
    kv.connect();
    fx = new ServerFixture(new StaticFiles(kv));
    return fx;
  }

  java.net.http.HttpResponse<String> get(String path, String... headers) throws Exception {
    var builder = java.net.http.HttpRequest.newBuilder(fx.uri(path));
    for (int i = 0; i < headers.length; i += 2) {
      builder.header(headers[i], headers[i + 1]);
    }
    return fx.client.send(builder.build(), BodyHandlers.ofString());
  }

  @Test
  void servesCrunchedFilesWithTypesAndEtags() throws Exception {
    serveCrunch();
    var index = get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).isEqualTo("<!doctype html><title>deck</title>\n");
    assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(index.headers().firstValue("etag"))
        .hasValue("\"cbf2996cd73282ebbee25a08be135c3807d08fddba9954e5cc09e6cb51d1da2b\"");
    assertThat(get("/index.html").body()).isEqualTo(index.body());
    Map<String, String> types =
        Map.of(
            "/css/deck.css", "text/css; charset=utf-8",
            "/js/app.js", "text/javascript; charset=utf-8",
            "/img/logo.svg", "image/svg+xml",
            "/with%20space/%C3%A9.txt", "text/plain; charset=utf-8");
    for (Map.Entry<String, String> e : types.entrySet()) {
      var r = get(e.getKey());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue(e.getValue());
    }
    assertThat(get("/with%20space/%C3%A9.txt").body()).isEqualTo("spaced\n");
  }

  @Test
  void ifNoneMatchGives304() throws Exception {
    serveCrunch();
    String etag = get("/css/deck.css").headers().firstValue("etag").orElseThrow();
    var notModified = get("/css/deck.css", "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(notModified.headers().firstValue("etag")).hasValue(etag);
    assertThat(get("/css/deck.css", "If-None-Match", "\"other\", W/" + etag).statusCode()).isEqualTo(304);
    assertThat(get("/css/deck.css", "If-None-Match", "*").statusCode()).isEqualTo(304);
    assertThat(get("/css/deck.css", "If-None-Match", "\"stale\"").statusCode()).isEqualTo(200);
    // A 304 keeps the connection usable (no body is sent).
    try (RawClient raw = fx.raw()) {
      raw.send("GET /css/deck.css HTTP/1.1\r\nHost: t\r\nIf-None-Match: " + etag + "\r\n\r\n");
      RawClient.Response r = raw.read();
      assertThat(r.status()).isEqualTo(304);
      assertThat(r.header("content-length")).isNull();
      raw.send("GET /js/app.js HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(raw.read().text()).isEqualTo("console.log(\"slides\");\n");
    }
  }

  @Test
  void headAnswersWithoutBody() throws Exception {
    serveCrunch();
    var head =
        fx.client.send(
            java.net.http.HttpRequest.newBuilder(fx.uri("/img/logo.svg"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(),
            BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("content-length")).hasValue("42");
    assertThat(head.headers().firstValue("content-type")).hasValue("image/svg+xml");
  }

  @Test
  void missingFilesAre404AndOtherMethods405() throws Exception {
    serveCrunch();
    assertThat(get("/nope.html").statusCode()).isEqualTo(404);
    assertThat(get("/css/nope.css").statusCode()).isEqualTo(404);
    assertThat(get("/img/").statusCode()).isEqualTo(404); // a dictionary without index.html
    var post =
        fx.client.send(
            java.net.http.HttpRequest.newBuilder(fx.uri("/index.html"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x"))
                .build(),
            BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD, OPTIONS");
  }

  @Test
  void directoriesRedirectToTheirIndex() throws Exception {
    serveCrunch();
    try (RawClient raw = fx.raw()) {
      raw.send("GET /docs?x=1 HTTP/1.1\r\nHost: t\r\n\r\n");
      RawClient.Response r = raw.read();
      assertThat(r.status()).isEqualTo(301);
      assertThat(r.header("location")).isEqualTo("/docs/?x=1");
    }
    var docs = get("/docs/");
    assertThat(docs.statusCode()).isEqualTo(200);
    assertThat(docs.body()).isEqualTo("<p>docs</p>\n");
    // The JDK client does not follow redirects by default; with a following client the redirect lands.
    var followed =
        java.net.http.HttpClient.newBuilder()
            .followRedirects(java.net.http.HttpClient.Redirect.NORMAL)
            .build()
            .send(java.net.http.HttpRequest.newBuilder(fx.uri("/docs")).build(), BodyHandlers.ofString());
    assertThat(followed.body()).isEqualTo("<p>docs</p>\n");
  }

  @Test
  void servesADirectoryAndSeesItsFiles() throws Exception {
    serveDirectory();
    assertThat(get("/").body()).isEqualTo("<h1>home</h1>");
    assertThat(get("/css/site.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
    Files.writeString(tmp.resolve("site/new.md"), "# new");
    var md = get("/new.md");
    assertThat(md.body()).isEqualTo("# new");
    assertThat(md.headers().firstValue("content-type")).hasValue("text/markdown; charset=utf-8");
    assertThat(md.headers().firstValue("last-modified")).isPresent();
    // a file that changes is served as it is now, not as it was
    Files.writeString(tmp.resolve("site/new.md"), "# changed, and longer");
    assertThat(get("/new.md").body()).isEqualTo("# changed, and longer");
  }

  @Test
  void requestsThatTryToLeaveTheTreeNeverReadOutside() throws Exception {
    serveDirectory();
    for (String target :
        List.of(
            "/../secret.txt",
            "/css/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/css/%2e%2e/%2e%2e/secret.txt",
            "/..%2fsecret.txt",
            "/css%2f..%2f..%2fsecret.txt",
            "/..%5csecret.txt",
            "/..\\secret.txt",
            "/%00",
            "/index.html%00.txt",
            "/leak.txt",
            "/leakdir/key.txt",
            "/leakdir/",
            "//secret.txt",
            "/%252e%252e/secret.txt",
            "/" + tmp.resolve("secret.txt"))) {
      try (RawClient raw = fx.raw()) {
        raw.send("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
        RawClient.Response r = raw.read();
        assertThat(r.status()).isAnyOf(400, 404);
        assertThat(r.text()).doesNotContain(SECRET);
      }
    }
  }

  /** A store that records every key it is asked about. */
  static final class RecordingKv implements KvRo {
    final List<String> keys = new CopyOnWriteArrayList<>();
    final KvRo delegate;

    RecordingKv(KvRo delegate) {
      this.delegate = delegate;
    }

    int gets;

    @Override
    public byte[] get(String key) throws IOException {
      keys.add(key);
      gets++;
      return delegate.get(key);
    }

    @Override
    public ByteBuffer getPartial(String key, long offset, int length) throws IOException {
      keys.add(key);
      return delegate.getPartial(key, offset, length);
    }

    @Override
    public Optional<Kind> exists(String key) throws IOException {
      keys.add(key);
      return delegate.exists(key);
    }

    @Override
    public List<Entry> list(String key) throws IOException {
      keys.add(key);
      return delegate.list(key);
    }

    @Override
    public long size(String key) throws IOException {
      keys.add(key);
      return delegate.size(key);
    }

    @Override
    public String digest(String key) throws IOException {
      keys.add(key);
      return delegate.digest(key);
    }

    @Override
    public Instant lastModified(String key) throws IOException {
      keys.add(key);
      return delegate.lastModified(key);
    }
  }

  static HttpRequest request(String method, String path) {
    return HttpRequest.builder(method, path).header("Host", "t").build();
  }

  @Test
  void theHandlerRefusesEscapesEvenWhenCalledDirectly() throws Exception {
    CrunchKvRo crunch = new CrunchKvRo("site");
    crunch.connect();
    RecordingKv kv = new RecordingKv(crunch);
    StaticFiles files = new StaticFiles(kv);
    for (String path : List.of("/../x", "/a/../../x", "/./index.html", "/a\\..\\x", "/x\0", "relative", "/a/..")) {
      HttpResponse r = files.handle(request("GET", path));
      assertThat(r.status()).isEqualTo(400);
    }
    assertThat(kv.keys).isEmpty();
    HttpResponse put = files.handle(request("PUT", "/index.html"));
    assertThat(put.status()).isEqualTo(405);
    assertThat(put.header("Allow")).hasValue("GET, HEAD, OPTIONS");
    assertThat(files.handle(request("GET", "/index.html")).status()).isEqualTo(200);
    assertThat(files.handle(request("GET", "//index.html")).status()).isEqualTo(404);
    assertThat(files.handle(request("GET", "/css//deck.css")).status()).isEqualTo(404);
  }

  @Test
  void byteRangesGet206AndIfRangeDecides() throws Exception {
    serveCrunch();
    String etag = get("/index.html").headers().firstValue("etag").orElseThrow();
    assertThat(get("/index.html").headers().firstValue("accept-ranges")).hasValue("bytes");
    var first = get("/index.html", "Range", "bytes=0-4");
    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(first.body()).isEqualTo("<!doc");
    assertThat(first.headers().firstValue("content-range")).hasValue("bytes 0-4/35");
    assertThat(first.headers().firstValue("content-length")).hasValue("5");
    assertThat(first.headers().firstValue("etag")).hasValue(etag);
    var suffix = get("/index.html", "Range", "bytes=-8");
    assertThat(suffix.body()).isEqualTo("/title>\n");
    assertThat(suffix.headers().firstValue("content-range")).hasValue("bytes 27-34/35");
    var open = get("/index.html", "Range", "bytes=30-");
    assertThat(open.body()).isEqualTo("itle>\n".substring(1));
    var clipped = get("/index.html", "Range", "bytes=30-1000");
    assertThat(clipped.headers().firstValue("content-range")).hasValue("bytes 30-34/35");
    var beyond = get("/index.html", "Range", "bytes=35-");
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("content-range")).hasValue("bytes */35");
    // several ranges, another unit, nonsense: the whole file
    assertThat(get("/index.html", "Range", "bytes=0-1,5-6").statusCode()).isEqualTo(200);
    assertThat(get("/index.html", "Range", "lines=0-1").statusCode()).isEqualTo(200);
    assertThat(get("/index.html", "Range", "bytes=9-2").statusCode()).isEqualTo(200);
    // If-Range: the current version gets the range, another version the whole file
    assertThat(get("/index.html", "Range", "bytes=0-4", "If-Range", etag).statusCode()).isEqualTo(206);
    assertThat(get("/index.html", "Range", "bytes=0-4", "If-Range", "\"old\"").statusCode()).isEqualTo(200);
    assertThat(get("/index.html", "Range", "bytes=0-4", "If-Range", "W/" + etag).statusCode()).isEqualTo(200);
  }

  @Test
  void largeFilesAreStreamedAndRangedAndDatesValidate() throws Exception {
    serveDirectory();
    byte[] big = new byte[StaticFiles.PIECE * 3 + 1234];
    new java.util.Random(3).nextBytes(big);
    Files.write(tmp.resolve("site/big.bin"), big);
    var whole = fx.client.send(java.net.http.HttpRequest.newBuilder(fx.uri("/big.bin")).build(), BodyHandlers.ofByteArray());
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(java.util.Arrays.equals(whole.body(), big)).isTrue();
    long from = StaticFiles.PIECE - 10;
    long to = StaticFiles.PIECE * 2L + 10;
    var part =
        fx.client.send(
            java.net.http.HttpRequest.newBuilder(fx.uri("/big.bin")).header("Range", "bytes=" + from + "-" + to).build(),
            BodyHandlers.ofByteArray());
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(java.util.Arrays.equals(part.body(), java.util.Arrays.copyOfRange(big, (int) from, (int) to + 1))).isTrue();
    String lastModified = whole.headers().firstValue("last-modified").orElseThrow();
    assertThat(lastModified).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    assertThat(get("/big.bin", "If-Modified-Since", lastModified).statusCode()).isEqualTo(304);
    assertThat(get("/big.bin", "If-Modified-Since", "Thu, 01 Jan 1998 00:00:00 GMT").statusCode()).isEqualTo(200);
    assertThat(get("/big.bin", "Range", "bytes=0-3", "If-Range", "Thu, 01 Jan 1998 00:00:00 GMT").statusCode())
        .isEqualTo(200);
    var ranged = get("/big.bin", "Range", "bytes=0-3", "If-Range", lastModified);
    assertThat(ranged.statusCode()).isEqualTo(206);
  }

  @Test
  void optionsAndHeadNeverReadTheFile() throws Exception {
    CrunchKvRo crunch = new CrunchKvRo("site");
    crunch.connect();
    RecordingKv kv = new RecordingKv(crunch);
    fx = new ServerFixture(new StaticFiles(kv));
    try (RawClient raw = fx.raw()) {
      raw.send("OPTIONS /index.html HTTP/1.1\r\nHost: t\r\n\r\n");
      RawClient.Response options = raw.read();
      assertThat(options.status()).isEqualTo(204);
      assertThat(options.header("allow")).isEqualTo("GET, HEAD, OPTIONS");
      raw.send("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(raw.read().status()).isEqualTo(204);
      raw.send("HEAD /index.html HTTP/1.1\r\nHost: t\r\n\r\n");
      RawClient.Response head = raw.read(true);
      assertThat(head.header("content-length")).isEqualTo("35");
      assertThat(head.header("etag")).isNotNull();
    }
    assertThat(kv.gets).isEqualTo(0);
  }

  @Test
  void contentTypesByExtension() {
    Map<String, String> expected =
        Map.ofEntries(
            Map.entry("a.html", "text/html; charset=utf-8"),
            Map.entry("A.HTM", "text/html; charset=utf-8"),
            Map.entry("s.css", "text/css; charset=utf-8"),
            Map.entry("x/y.js", "text/javascript; charset=utf-8"),
            Map.entry("i.svg", "image/svg+xml"),
            Map.entry("i.png", "image/png"),
            Map.entry("i.jpg", "image/jpeg"),
            Map.entry("i.jpeg", "image/jpeg"),
            Map.entry("i.gif", "image/gif"),
            Map.entry("favicon.ico", "image/vnd.microsoft.icon"),
            Map.entry("f.woff2", "font/woff2"),
            Map.entry("f.woff", "font/woff"),
            Map.entry("d.json", "application/json"),
            Map.entry("t.txt", "text/plain; charset=utf-8"),
            Map.entry("r.md", "text/markdown; charset=utf-8"),
            Map.entry("p.pdf", "application/pdf"),
            Map.entry("noext", "application/octet-stream"),
            Map.entry("dir.d/noext", "application/octet-stream"),
            Map.entry(".hidden", "application/octet-stream"),
            Map.entry("trailing.", "application/octet-stream"),
            Map.entry("x.unknown", "application/octet-stream"));
    expected.forEach((name, type) -> assertThat(StaticFiles.contentType(name)).isEqualTo(type));
  }

  @Test
  void etagMatching() {
    assertThat(StaticFiles.matches("\"abc\"", "\"abc\"")).isTrue();
    assertThat(StaticFiles.matches(" W/\"abc\" ", "\"abc\"")).isTrue();
    assertThat(StaticFiles.matches("\"x\", \"abc\"", "\"abc\"")).isTrue();
    assertThat(StaticFiles.matches("*", "\"abc\"")).isTrue();
    assertThat(StaticFiles.matches("abc", "\"abc\"")).isFalse();
    assertThat(StaticFiles.matches("\"abcd\"", "\"abc\"")).isFalse();
  }

  @Test
  void locationsAreEncoded() {
    assertThat(StaticFiles.encodePath("/with space/é")).isEqualTo("/with%20space/%C3%A9");
    assertThat(StaticFiles.encodePath("/a?b#c")).isEqualTo("/a%3Fb%23c");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
