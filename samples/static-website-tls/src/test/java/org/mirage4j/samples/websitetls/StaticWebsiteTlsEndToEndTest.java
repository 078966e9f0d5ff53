package org.mirage4j.samples.websitetls;

import static com.google.common.truth.Truth.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.drivers.tls.TestCertificates;
import org.mirage4j.drivers.tls.TlsContexts;
import org.mirage4j.samples.testing.UnikernelProcess;

class StaticWebsiteTlsEndToEndTest {

  @Test
  void servesOverHttpsAndRedirectsHttp(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(TestCertificates.opensslUnavailable() == null, TestCertificates::opensslUnavailable);
    TestCertificates certs = TestCertificates.make(dir.resolve("tls"), "ec"); // tls/server.pem, tls/server.key
    int port = UnikernelProcess.freePort();
    int httpPort = UnikernelProcess.freePort();
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--port=" + port, "--http-port=" + httpPort)) {
      p.awaitStdout(l -> l.contains("serving htdocs on https://"));
      SSLContext trust = TlsContexts.client(Files.readAllBytes(certs.ca), "ca.pem");
      HttpClient client = HttpClient.newBuilder().sslContext(trust).build();
      HttpResponse<String> index = client.send(
          HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.body()).contains("Hello from a mirage4j unikernel");
      HttpResponse<String> redirect = client.send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/style.css?v=1")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(redirect.statusCode()).isEqualTo(301);
      assertThat(redirect.headers().firstValue("location")).hasValue("https://localhost:" + port + "/style.css?v=1");
      HttpClient following = HttpClient.newBuilder().sslContext(trust).followRedirects(HttpClient.Redirect.NORMAL).build();
      HttpResponse<String> css = following.send(
          HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/style.css")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(css.uri().getScheme()).isEqualTo("https");
      assertThat(css.headers().firstValue("content-type").orElse("")).startsWith("text/css");
      p.stop();
    }
  }

  @Test
  void withoutCredentialsItStopsWithOneLine(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("tls"));
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--port=" + UnikernelProcess.freePort(),
        "--http-port=" + UnikernelProcess.freePort())) {
      assertThat(p.awaitExit()).isEqualTo(1);
      assertThat(p.stderr()).hasSize(1);
      assertThat(p.stderr().get(0)).contains("error: device 'https' (config.mirage:11) failed to connect: no 'server.pem' in ");
    }
  }
}
