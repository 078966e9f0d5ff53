package org.mirage4j.drivers.http;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.http.HttpResponse;
import org.mirage4j.drivers.kv.DirectoryKvRo;
import org.mirage4j.drivers.socket.SocketStack;
import org.mirage4j.drivers.tls.TestCertificates;
import org.mirage4j.drivers.tls.TlsContexts;

/**
 * {@code https_server} as a user meets it: certificates from a {@code kv_ro}, checked by Debian's
 * {@code curl --cacert} and {@code openssl s_client} on TLS 1.3 and 1.2 with ALPN {@code
 * http/1.1}, and by the JDK's client. Skipped, with the reason, where curl or openssl is missing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpsServerTest {

  @TempDir static Path dir;
  static TestCertificates certs;
  static SocketStack stack;
  static StackHttpServer server;
  static Thread serving;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(TestCertificates.opensslUnavailable() == null, TestCertificates::opensslUnavailable);
    certs = TestCertificates.make(dir.resolve("tls"), "ec");
    stack = new SocketStack();
    stack.connect();
    DirectoryKvRo store = new DirectoryKvRo(certs.dir.toString());
    store.connect();
    server = StackHttpServer.configuredTls(stack, 0, store, Ipv4Address.parse("127.0.0.1"),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(20), 1024, 64, 64, 1 << 20);
    server.connect();
    serving = new Thread(() -> {
      try {
        server.serve(request -> HttpResponse.text(200, "secure " + request.method() + " " + request.path() + "\n"));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    serving.setDaemon(true);
    serving.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
      serving.join(10_000);
      stack.close();
    }
  }

  record Run(int status, String out, String err) {}

  static Run run(String stdin, String... command) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.US_ASCII));
    }
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish");
    }
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  static boolean curlAvailable() {
    return org.mirage4j.host.HostTools.unavailable("curl", "curl") == null;
  }

  List<String> curl(String... more) {
    int port = server.port();
    List<String> c = new ArrayList<>(List.of("curl", "-sS", "-v", "--cacert", certs.ca.toString(),
        "--resolve", "localhost:" + port + ":127.0.0.1"));
    c.addAll(List.of(more));
    c.add("https://localhost:" + port + "/hello");
    return c;
  }

  @Test
  void curlOverTls13AndTls12() throws Exception {
    Assumptions.assumeTrue(curlAvailable(), "curl is not installed and cannot be installed here (Debian: curl)");
    Run v13 = run(null, curl("--tlsv1.3").toArray(String[]::new));
    assertThat(v13.status()).isEqualTo(0);
    assertThat(v13.out()).isEqualTo("secure GET /hello\n");
    assertThat(v13.err()).contains("SSL connection using TLSv1.3");
    assertThat(v13.err()).contains("ALPN: server accepted http/1.1");
    Run v12 = run(null, curl("--tlsv1.2", "--tls-max", "1.2").toArray(String[]::new));
    assertThat(v12.status()).isEqualTo(0);
    assertThat(v12.out()).isEqualTo("secure GET /hello\n");
    assertThat(v12.err()).contains("SSL connection using TLSv1.2");
    // without the CA, curl refuses the certificate
    int port = server.port();
    Run untrusted = run(null, "curl", "-sS", "--resolve", "localhost:" + port + ":127.0.0.1",
        "https://localhost:" + port + "/");
    assertThat(untrusted.status()).isNotEqualTo(0);
  }

  @Test
  void opensslSClientOverTls13AndTls12() throws Exception {
    String request = "GET /s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    for (String version : List.of("-tls1_3", "-tls1_2")) {
      Run r = run(request, "openssl", "s_client", "-connect", "127.0.0.1:" + server.port(),
          "-servername", "localhost", "-alpn", "http/1.1", "-CAfile", certs.ca.toString(),
          "-verify_return_error", "-ign_eof", version);
      assertThat(r.status()).isEqualTo(0);
      assertThat(r.out()).contains("ALPN protocol: http/1.1");
      assertThat(r.out()).contains("Verify return code: 0 (ok)");
      assertThat(r.out()).contains(version.equals("-tls1_3") ? "TLSv1.3" : "TLSv1.2");
      assertThat(r.out()).contains("HTTP/1.1 200 OK");
      assertThat(r.out()).contains("secure GET /s");
    }
  }

  @Test
  void theJdkClientKeepsTheConnection() throws Exception {
    SSLContext trust = TlsContexts.client(Files.readAllBytes(certs.ca), "ca.pem");
    HttpClient client = HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < 3; i++) {
      var r = client.send(
          HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/k" + i)).build(),
          BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("secure GET /k" + i + "\n");
    }
  }

  @Test
  void plainHttpAndGarbageAreRefusedAndTheServerGoesOn() throws Exception {
    try (RawClient raw = new RawClient(server.port())) {
      raw.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
      RawClient.Response r = raw.read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.text()).contains("this port speaks HTTPS");
    }
    try (RawClient raw = new RawClient(server.port())) {
      raw.send(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5}); // a broken ClientHello
      byte[] answer = raw.socket.getInputStream().readAllBytes(); // to the end: the server closes
      assertThat(answer.length == 0 || answer[0] == 0x15).isTrue(); // nothing, or a TLS alert
    }
    theJdkClientKeepsTheConnection();
  }

  @Test
  void missingCredentialsAreNamedAtConnect() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    DirectoryKvRo store = new DirectoryKvRo(empty.toString());
    store.connect();
    StackHttpServer bad = StackHttpServer.configuredTls(stack, 0, store, Ipv4Address.parse("127.0.0.1"),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(20), 1024, 64, 64, 1 << 20);
    IOException e = assertThrows(IOException.class, bad::connect);
    assertThat(e).hasMessageThat().startsWith("no 'server.pem' in ");
    assertThat(e).hasMessageThat().contains("server.key (its private key, PEM)");
    bad.close();
  }
}
