package org.mirage4j.drivers.http.direct;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.drivers.http.StackHttpServer;
import org.mirage4j.drivers.http.StaticFiles;
import org.mirage4j.drivers.kv.CrunchKvRo;
import org.mirage4j.drivers.tls.TestCertificates;
import org.mirage4j.drivers.tls.TlsContexts;
import org.mirage4j.drivers.tls.TlsFlow;

/** HTTPS on the direct stack: the same TLS over the same Flow interface as on the socket stack. */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpsOverDirectStackTest {

  @TempDir Path dir;
  Wire wire;
  DirectHost serverHost;
  DirectHost clientHost;
  StackHttpServer https;
  Thread serving;
  SSLContext clientContext;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(TestCertificates.opensslUnavailable() == null, TestCertificates::opensslUnavailable);
    TestCertificates certs = TestCertificates.make(dir, "ec");
    SSLContext serverContext = TlsContexts.server(
        Files.readAllBytes(certs.certificate), "server.pem", Files.readAllBytes(certs.key), "server.key");
    clientContext = TlsContexts.client(Files.readAllBytes(certs.ca), "ca.pem");
    wire = new Wire();
    serverHost = new DirectHost(wire.a, "10.0.0.1/24");
    clientHost = new DirectHost(wire.b, "10.0.0.2/24");
    CrunchKvRo site = new CrunchKvRo("site");
    site.connect();
    https = StackHttpServer.https(serverHost.stack, null, 443, StackHttpServer.Limits.defaults(), serverContext);
    https.connect();
    serving = new Thread(() -> {
      try {
        https.serve(new StaticFiles(site));
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }, "serve");
    serving.setDaemon(true);
    serving.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (https != null) {
      https.close();
      serving.join(20_000);
      clientHost.close();
      serverHost.close();
    }
  }

  @Test
  void servesFilesOverTls13And12() throws Exception {
    for (String version : List.of("TLSv1.3", "TLSv1.2")) {
      try (TlsFlow tls = TlsFlow.client(
          clientHost.stack.tcp().connect(new InetSocketAddress("10.0.0.1", 443), Duration.ofSeconds(20)),
          clientContext, "localhost", 443, List.of("http/1.1"), List.of(version))) {
        HttpOverDirectStackTest.Reader in = new HttpOverDirectStackTest.Reader(tls);
        HttpOverDirectStackTest.send(tls, "GET /big.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
        HttpOverDirectStackTest.Response big = in.read(false);
        assertThat(big.status()).isEqualTo(200);
        assertThat(big.body().length).isGreaterThan(100_000);
        HttpOverDirectStackTest.send(tls, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        HttpOverDirectStackTest.Response index = in.read(false);
        assertThat(index.status()).isEqualTo(200);
        assertThat(tls.protocol()).isEqualTo(version);
        assertThat(tls.applicationProtocol()).isEqualTo("http/1.1");
        assertThat(in.closedByServer()).isTrue();
      }
    }
  }
}
