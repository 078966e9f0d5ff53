package org.mirage4j.drivers.tls;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.Flow;
import org.mirage4j.api.TcpListener;
import org.mirage4j.drivers.socket.SocketStack;

/** TLS over flows of the socket stack: handshakes, versions, ALPN, both directions at once, endings. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TlsFlowTest {

  static final Duration CONNECT = Duration.ofSeconds(10);
  static final List<String> HTTP11 = List.of("http/1.1");

  @TempDir static Path certDir;
  static TestCertificates certs;
  static SSLContext serverContext;
  static SSLContext clientContext;
  static ExecutorService pool;

  SocketStack stack;
  TcpListener listener;

  @BeforeAll
  static void makeCertificates() throws Exception {
    Assumptions.assumeTrue(TestCertificates.opensslUnavailable() == null, TestCertificates::opensslUnavailable);
    certs = TestCertificates.make(certDir, "ec");
    serverContext = TlsContexts.server(Files.readAllBytes(certs.certificate), "server.pem",
        Files.readAllBytes(certs.key), "server.key");
    clientContext = TlsContexts.client(Files.readAllBytes(certs.ca), "ca.pem");
    pool = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stopPool() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  @BeforeEach
  void listen() throws IOException {
    stack = new SocketStack();
    stack.connect();
    listener = stack.tcp().listen(0, 8);
  }

  @AfterEach
  void close() throws IOException {
    stack.close();
  }

  Flow connect() throws IOException {
    return stack.tcp().connect(new InetSocketAddress("127.0.0.1", listener.port()), CONNECT);
  }

  /** Accepts one connection and serves TLS on it with {@code body}. */
  Future<String> serve(ServerSide body) {
    return pool.submit(() -> {
      try (TlsFlow tls = TlsFlow.server(listener.accept(), serverContext, HTTP11)) {
        tls.readTimeout(Duration.ofSeconds(20));
        return body.run(tls);
      }
    });
  }

  interface ServerSide {
    String run(TlsFlow tls) throws Exception;
  }

  static String readAll(Flow flow) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(5000);
    while (flow.read(buffer) >= 0) {
      out.write(buffer.array(), 0, buffer.position());
      buffer.clear();
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  static void write(Flow flow, String s) throws IOException {
    flow.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
  }

  static String readLine(Flow flow) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (true) {
      one.clear();
      if (flow.read(one) < 0) {
        throw new java.io.EOFException("no line");
      }
      if (one.get(0) == '\n') {
        return out.toString(StandardCharsets.UTF_8);
      }
      out.write(one.get(0));
    }
  }

  @Test
  void echoesOverTls13AndTls12WithAlpn() throws Exception {
    for (String version : List.of("TLSv1.3", "TLSv1.2")) {
      Future<String> server = serve(tls -> {
        String got = readLine(tls);
        write(tls, "echo " + got + " over " + tls.protocol() + " alpn " + tls.applicationProtocol() + "\n");
        return got;
      });
      try (TlsFlow client = TlsFlow.client(connect(), clientContext, "localhost", listener.port(),
          List.of("h2", "http/1.1"), List.of(version))) {
        write(client, "hello\n");
        assertThat(readLine(client)).isEqualTo("echo hello over " + version + " alpn http/1.1");
        assertThat(client.protocol()).isEqualTo(version);
        // the server closed (close_notify): the end of the stream
        assertThat(client.read(ByteBuffer.allocate(10))).isEqualTo(-1);
      }
      assertThat(server.get(30, TimeUnit.SECONDS)).isEqualTo("hello");
    }
  }

  @Test
  void tls13HalfCloses() throws Exception {
    Future<String> server = serve(tls -> {
      String got = readAll(tls); // to the client's close_notify
      write(tls, "after your end: " + got);
      return got;
    });
    try (TlsFlow client = TlsFlow.client(connect(), clientContext, "localhost", listener.port(), HTTP11)) {
      write(client, "hello");
      client.shutdownOutput();
      assertThat(readAll(client)).isEqualTo("after your end: hello");
    }
    assertThat(server.get(30, TimeUnit.SECONDS)).isEqualTo("hello");
  }

  @Test
  void carriesMegabytesBothWaysAtOnce() throws Exception {
    byte[] up = new byte[4 * 1024 * 1024 + 7];
    byte[] down = new byte[3 * 1024 * 1024 + 11];
    new Random(1).nextBytes(up);
    new Random(2).nextBytes(down);
    Future<String> server = serve(tls -> {
      Future<?> sending = pool.submit(() -> {
        writeInPieces(tls, down);
        tls.shutdownOutput();
        return null;
      });
      String got = sha(readBytes(tls));
      sending.get(30, TimeUnit.SECONDS);
      return got;
    });
    try (TlsFlow client = TlsFlow.client(connect(), clientContext, "localhost", listener.port(), HTTP11,
        List.of("TLSv1.3"))) {
      Future<?> sending = pool.submit(() -> {
        writeInPieces(client, up);
        client.shutdownOutput();
        return null;
      });
      assertThat(sha(readBytes(client))).isEqualTo(sha(down));
      sending.get(30, TimeUnit.SECONDS);
    }
    assertThat(server.get(30, TimeUnit.SECONDS)).isEqualTo(sha(up));
  }

  static void writeInPieces(Flow flow, byte[] data) throws IOException {
    int at = 0;
    int size = 1;
    while (at < data.length) {
      int n = Math.min(size, data.length - at);
      flow.write(ByteBuffer.wrap(data, at, n));
      at += n;
      size = size * 7 % 100_003 + 1;
    }
  }

  static byte[] readBytes(Flow flow) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(7777);
    while (flow.read(buffer) >= 0) {
      out.write(buffer.array(), 0, buffer.position());
      buffer.clear();
    }
    return out.toByteArray();
  }

  static String sha(byte[] data) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void theClientChecksTheServersNameAndTrust() throws Exception {
    Future<String> server = serve(tls -> {
      try {
        tls.handshake();
        return "handshaken";
      } catch (IOException e) {
        return "refused";
      }
    });
    try (TlsFlow client = TlsFlow.client(connect(), clientContext, "example.com", listener.port(), HTTP11)) {
      SSLException e = assertThrows(SSLException.class, client::handshake);
      assertThat(e).hasMessageThat().contains("example.com");
    }
    assertThat(server.get(30, TimeUnit.SECONDS)).isEqualTo("refused");

    Future<String> second = serve(tls -> {
      try {
        tls.handshake();
        return "handshaken";
      } catch (IOException e) {
        return "refused";
      }
    });
    SSLContext noTrust = TlsContexts.client(new byte[0], "none"); // the JDK's CAs only
    try (TlsFlow client = TlsFlow.client(connect(), noTrust, "localhost", listener.port(), HTTP11)) {
      assertThrows(SSLException.class, client::handshake);
    }
    assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("refused");
  }

  @Test
  void aClientWithoutACommonApplicationProtocolIsRefused() throws Exception {
    Future<String> server = serve(tls -> {
      try {
        tls.handshake();
        return "handshaken";
      } catch (SSLException e) {
        return "refused";
      }
    });
    try (TlsFlow client = TlsFlow.client(connect(), clientContext, "localhost", listener.port(), List.of("h2"))) {
      assertThrows(SSLException.class, client::handshake);
    }
    assertThat(server.get(30, TimeUnit.SECONDS)).isEqualTo("refused");
  }

  @Test
  void plainTextToTheServerIsRecognised() throws Exception {
    Future<String> server = serve(tls -> {
      try {
        tls.handshake();
        return "handshaken";
      } catch (TlsFlow.PlainTextException e) {
        return "plain text";
      }
    });
    try (Flow plain = connect()) {
      write(plain, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(server.get(30, TimeUnit.SECONDS)).isEqualTo("plain text");
    }
  }

  @Test
  void aSilentClientTimesOutTheHandshake() throws Exception {
    Future<String> server = pool.submit(() -> {
      try (TlsFlow tls = TlsFlow.server(listener.accept(), serverContext, HTTP11)) {
        tls.readTimeout(Duration.ofMillis(200));
        try {
          tls.handshake();
          return "handshaken";
        } catch (SocketTimeoutException e) {
          return "timed out";
        }
      }
    });
    try (Flow silent = connect()) {
      assertThat(server.get(30, TimeUnit.SECONDS)).isEqualTo("timed out");
    }
  }
}
