package org.mirage4j.samples.httpfetch;

import static com.google.common.truth.Truth.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.drivers.dns.Dnsmasq;
import org.mirage4j.samples.testing.UnikernelProcess;

/** The unikernel fetches from a local server of the test's (the JDK's), by address and by name. */
class HttpFetchEndToEndTest {

  HttpServer local;

  @BeforeEach
  void startLocalServer() throws IOException {
    local = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    local.createContext("/page", exchange -> {
      byte[] body = "<h1>fetched by a unikernel</h1>".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    local.createContext("/old", exchange -> {
      exchange.getResponseHeaders().add("Location", "/page");
      exchange.sendResponseHeaders(301, -1);
      exchange.close();
    });
    local.start();
  }

  @AfterEach
  void stopLocalServer() {
    local.stop(0);
  }

  int port() {
    return local.getAddress().getPort();
  }

  @Test
  void fetchesAPageFollowingARedirect(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--uri=http://127.0.0.1:" + port() + "/old")) {
      assertThat(p.awaitExit()).isEqualTo(0);
      assertThat(p.stdout()).contains("HTTP 200 from http://127.0.0.1:" + port() + "/page");
      assertThat(p.stdout()).contains("content-type: text/html");
      assertThat(p.stdout()).contains("<h1>fetched by a unikernel</h1>");
      assertThat(p.stderr()).isEmpty();
    }
  }

  @Test
  void resolvesTheHostWithTheDnsClient(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(Dnsmasq.available(), Dnsmasq::unavailableReason);
    try (Dnsmasq dns = Dnsmasq.start(dir, List.of("127.0.0.1 www.fetch.test"), "--local=/test/");
        UnikernelProcess p = UnikernelProcess.start(dir, "--uri=http://www.fetch.test:" + port() + "/page",
            "--nameservers=127.0.0.1:" + dns.port())) {
      assertThat(p.awaitExit()).isEqualTo(0);
      assertThat(p.stdout()).contains("<h1>fetched by a unikernel</h1>");
    }
  }

  @Test
  void failuresAreOneLine(@TempDir Path dir) throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--uri=http://127.0.0.1:" + closed + "/")) {
      assertThat(p.awaitExit()).isEqualTo(1);
      assertThat(p.stderr()).hasSize(1);
      assertThat(p.stderr().get(0)).contains("failed: cannot connect to 127.0.0.1:" + closed);
    }
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--uri=ftp://example.com/")) {
      assertThat(p.awaitExit()).isEqualTo(1);
      assertThat(p.stderr()).containsExactly(
          "error: job 'HttpFetch' (config.mirage:10) failed: not an http or https URL: 'ftp://example.com/'");
    }
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--uri=http://x/", "--nameservers=not-an-address")) {
      assertThat(p.awaitExit()).isEqualTo(64);
      assertThat(p.stderr()).hasSize(1);
      assertThat(p.stderr().get(0)).contains("--nameservers: 'not-an-address' is not an IP address");
    }
  }
}
