package org.mirage4j.drivers.http;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.HttpClient;
import org.mirage4j.api.http.HttpResponse;
import org.mirage4j.api.http.Router;
import org.mirage4j.drivers.dns.Dnsmasq;
import org.mirage4j.drivers.dns.StackDnsClient;
import org.mirage4j.drivers.socket.SocketStack;
import org.mirage4j.drivers.tls.TestCertificates;
import org.mirage4j.drivers.tls.TlsContexts;

/** The client against our server, against servers that misbehave, with dnsmasq, over TLS. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StackHttpClientTest {

  @TempDir Path dir;
  SocketStack stack;
  StackDnsClient dns;
  ServerFixture server;
  final List<AutoCloseable> closing = new ArrayList<>();
  final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

  final Router routes = Router.builder()
      .get("/hello", r -> HttpResponse.text(200, "hello"))
      .route("POST", "/echo", r -> HttpResponse.text(200, r.method() + " " + r.bodyText()))
      .get("/echo", r -> HttpResponse.text(200, "GET"))
      .get("/who", r -> HttpResponse.text(200, String.valueOf(r.remoteAddress().getPort())))
      .get("/chunked", r -> HttpResponse.stream(200, "text/plain", out -> {
        out.write("one,".getBytes(StandardCharsets.UTF_8));
        out.flush();
        out.write("two".getBytes(StandardCharsets.UTF_8));
      }))
      .get("/redirect/{n}", r -> {
        int n = Integer.parseInt(r.pathParam("n"));
        return n == 0 ? HttpResponse.text(200, "landed") : HttpResponse.redirect(302, String.valueOf(n - 1));
      })
      .post("/see-other", r -> HttpResponse.redirect(303, "/echo"))
      .post("/temporary", r -> HttpResponse.redirect(307, "/echo"))
      .get("/loop", r -> HttpResponse.redirect(302, "/loop"))
      .get("/big", r -> HttpResponse.of(200, "application/octet-stream", new byte[2 * 1024 * 1024]))
      .get("/slow", r -> {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return HttpResponse.text(200, "late");
      })
      .build();

  @BeforeEach
  void start() throws Exception {
    stack = new SocketStack();
    stack.connect();
    dns = new StackDnsClient(stack, List.of(new InetSocketAddress("127.0.0.1", 9)), Duration.ofMillis(300), 0);
    dns.connect();
    server = new ServerFixture(routes, StackHttpServer.Limits.defaults().withIdleTimeout(Duration.ofMillis(300)));
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    for (AutoCloseable c : closing) {
      c.close();
    }
    server.close();
    dns.close();
    stack.close();
  }

  StackHttpClient client(StackHttpClient.Limits limits) throws IOException {
    StackHttpClient c = new StackHttpClient(stack, dns, limits, null);
    c.connect();
    closing.add(c);
    return c;
  }

  StackHttpClient client() throws IOException {
    return client(StackHttpClient.Limits.defaults());
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  @Test
  void getsAndKeepsTheConnection() throws Exception {
    StackHttpClient http = client();
    HttpClient.Response hello = http.get(url("/hello"));
    assertThat(hello.status()).isEqualTo(200);
    assertThat(hello.bodyText()).isEqualTo("hello");
    assertThat(hello.header("Content-Type")).hasValue("text/plain; charset=utf-8");
    String port = http.get(url("/who")).bodyText();
    assertThat(http.get(url("/who")).bodyText()).isEqualTo(port);
    assertThat(http.get(url("/who")).bodyText()).isEqualTo(port);
    assertThat(http.get(url("/nothing")).status()).isEqualTo(404);
  }

  @Test
  void sendsBodiesAndReadsChunkedAnswers() throws Exception {
    StackHttpClient http = client();
    HttpClient.Response echo = http.send(HttpClient.Request.of("POST", url("/echo")).body("data").build());
    assertThat(echo.bodyText()).isEqualTo("POST data");
    assertThat(http.get(url("/chunked")).bodyText()).isEqualTo("one,two");
    HttpClient.Response head = http.send(HttpClient.Request.of("HEAD", url("/hello")).build());
    assertThat(head.body()).isEmpty();
    assertThat(head.header("content-length")).hasValue("5");
    assertThat(http.get(url("/hello")).bodyText()).isEqualTo("hello"); // still in step after HEAD
  }

  @Test
  void followsRedirects() throws Exception {
    StackHttpClient http = client();
    HttpClient.Response r = http.get(url("/redirect/3"));
    assertThat(r.bodyText()).isEqualTo("landed");
    assertThat(r.uri().getPath()).isEqualTo("/redirect/0");
    assertThat(http.send(HttpClient.Request.of("POST", url("/see-other")).body("x").build()).bodyText())
        .isEqualTo("GET");
    assertThat(http.send(HttpClient.Request.of("POST", url("/temporary")).body("kept").build()).bodyText())
        .isEqualTo("POST kept");
    IOException loop = assertThrows(IOException.class, () -> http.get(url("/loop")));
    assertThat(loop).hasMessageThat().startsWith("too many redirects (more than 5) from ");
    StackHttpClient noRedirects = client(new StackHttpClient.Limits(Duration.ofSeconds(30), 1 << 20, 0, 65536, 4,
        Duration.ofSeconds(15)));
    assertThrows(IOException.class, () -> noRedirects.get(url("/redirect/1")));
  }

  @Test
  void timeAndSizeAreBounded() throws Exception {
    StackHttpClient small = client(new StackHttpClient.Limits(Duration.ofSeconds(30), 1024 * 1024, 5, 65536, 4,
        Duration.ofSeconds(15)));
    IOException big = assertThrows(IOException.class, () -> small.get(url("/big")));
    assertThat(big).hasMessageThat().isEqualTo("the response body from " + url("/big") + " is larger than 1048576 bytes");
    StackHttpClient quick = client(new StackHttpClient.Limits(Duration.ofMillis(300), 1 << 20, 5, 65536, 4,
        Duration.ofSeconds(15)));
    SocketTimeoutException slow = assertThrows(SocketTimeoutException.class, () -> quick.get(url("/slow")));
    assertThat(slow).hasMessageThat().isEqualTo("no complete response from " + url("/slow") + " within 300 ms");
  }

  @Test
  void aConnectionTheServerClosedIsReplaced() throws Exception {
    StackHttpClient http = client();
    String first = http.get(url("/who")).bodyText();
    // the server's idle timeout (300 ms) closes the pooled connection
    for (int i = 0; i < 2000 && server.server.activeConnections() > 0; i++) {
      Thread.sleep(5);
    }
    String second = http.get(url("/who")).bodyText();
    assertThat(second).isNotEqualTo(first);
  }

  /** A server of the test's that answers every connection with {@code reply} and closes. */
  int rawServer(byte[] reply) throws IOException {
    ServerSocket ss = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    closing.add(ss);
    Thread t = new Thread(() -> {
      while (!ss.isClosed()) {
        try (Socket s = ss.accept()) {
          InputStream in = s.getInputStream();
          byte[] buf = new byte[4096];
          int n = in.read(buf); // the request
          OutputStream out = s.getOutputStream();
          out.write(reply);
          out.flush();
          s.shutdownOutput();
          while (n > 0) {
            n = in.read(buf);
          }
        } catch (IOException e) {
          // next
        }
      }
    });
    t.setDaemon(true);
    t.start();
    return ss.getLocalPort();
  }

  @Test
  void serversThatMisbehaveGiveClearErrors() throws Exception {
    StackHttpClient http = client();
    int garbage = rawServer("SSH-2.0-OpenSSH_9.2\r\n".getBytes(StandardCharsets.US_ASCII));
    IOException notHttp = assertThrows(IOException.class, () -> http.get("http://127.0.0.1:" + garbage + "/"));
    assertThat(notHttp).hasMessageThat().isEqualTo(
        "http://127.0.0.1:" + garbage + "/ did not answer with HTTP/1.x (the response began with 'SSH-2.0-OpenSSH_9.2')");
    int silent = rawServer(new byte[0]);
    EOFException closed = assertThrows(EOFException.class, () -> http.get("http://127.0.0.1:" + silent + "/"));
    assertThat(closed).hasMessageThat().contains("closed the connection without answering");
    int shortBody = rawServer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this".getBytes(StandardCharsets.US_ASCII));
    EOFException cut = assertThrows(EOFException.class, () -> http.get("http://127.0.0.1:" + shortBody + "/"));
    assertThat(cut).hasMessageThat().contains("ended after 9 of 100 bytes");
    int badLength = rawServer("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nx".getBytes(StandardCharsets.US_ASCII));
    IOException conflicting = assertThrows(IOException.class, () -> http.get("http://127.0.0.1:" + badLength + "/"));
    assertThat(conflicting).hasMessageThat().contains("conflicting Content-Length");
    int toTheEnd = rawServer("HTTP/1.0 200 OK\r\n\r\nuntil the end".getBytes(StandardCharsets.US_ASCII));
    assertThat(http.get("http://127.0.0.1:" + toTheEnd + "/").bodyText()).isEqualTo("until the end");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    int closedPort = port;
    ConnectException refused = assertThrows(ConnectException.class, () -> http.get("http://127.0.0.1:" + closedPort + "/"));
    assertThat(refused).hasMessageThat().startsWith("cannot connect to 127.0.0.1:" + closedPort);
    // and the client still works
    assertThat(http.get(url("/hello")).bodyText()).isEqualTo("hello");
  }

  @Test
  void badRequestsAreRefusedBeforeAnythingIsSent() {
    assertThrows(IllegalArgumentException.class, () -> HttpClient.Request.of("GET", "ftp://example.com/"));
    assertThrows(IllegalArgumentException.class, () -> HttpClient.Request.of("GET", "http:///nohost"));
    assertThrows(IllegalArgumentException.class, () -> HttpClient.Request.of("GET", "http://exa mple.com/"));
    IllegalArgumentException injected = assertThrows(IllegalArgumentException.class,
        () -> client().send(HttpClient.Request.of("GET", url("/")).header("X", "a\r\nEvil: 1").build()));
    assertThat(injected).hasMessageThat().contains("CR, LF or NUL");
  }

  @Test
  void namesResolveThroughTheDnsClient() throws Exception {
    Assumptions.assumeTrue(Dnsmasq.available(), Dnsmasq::unavailableReason);
    try (Dnsmasq resolver = Dnsmasq.start(dir, List.of("127.0.0.1 web.test"), "--local=/test/")) {
      StackDnsClient names = new StackDnsClient(stack, List.of(resolver.address()), Duration.ofSeconds(2), 1);
      names.connect();
      closing.add(names);
      StackHttpClient http = new StackHttpClient(stack, names, StackHttpClient.Limits.defaults(), null);
      http.connect();
      closing.add(http);
      assertThat(http.get("http://web.test:" + server.port() + "/hello").bodyText()).isEqualTo("hello");
      UnknownHostException unknown = assertThrows(UnknownHostException.class, () -> http.get("http://nope.test/"));
      assertThat(unknown).hasMessageThat().contains("nope.test does not exist");
    }
  }

  @Test
  void httpsWithTheJdksTls() throws Exception {
    Assumptions.assumeTrue(TestCertificates.opensslUnavailable() == null, TestCertificates::opensslUnavailable);
    TestCertificates certs = TestCertificates.make(dir.resolve("tls"), "ec");
    StackHttpServer https = StackHttpServer.https(stack, InetAddress.getByName("127.0.0.1"), 0,
        StackHttpServer.Limits.defaults(),
        TlsContexts.server(Files.readAllBytes(certs.certificate), "server.pem", Files.readAllBytes(certs.key), "server.key"));
    https.connect();
    Thread serving = new Thread(() -> {
      try {
        https.serve(routes);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    serving.setDaemon(true);
    serving.start();
    closing.add(https);
    StackHttpClient trusting = new StackHttpClient(stack, dns, StackHttpClient.Limits.defaults(),
        TlsContexts.client(Files.readAllBytes(certs.ca), "ca.pem"));
    trusting.connect();
    closing.add(trusting);
    String url = "https://localhost:" + https.port();
    assertThat(trusting.get(url + "/hello").bodyText()).isEqualTo("hello");
    String port = trusting.get(url + "/who").bodyText();
    assertThat(trusting.get(url + "/who").bodyText()).isEqualTo(port); // kept alive over TLS
    SSLException untrusted = assertThrows(SSLException.class, () -> client().get(url + "/hello"));
    assertThat(untrusted).hasMessageThat().startsWith("TLS with localhost:" + https.port() + " failed: ");
  }
}
