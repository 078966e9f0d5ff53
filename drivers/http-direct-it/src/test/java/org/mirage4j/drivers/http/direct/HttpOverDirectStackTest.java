package org.mirage4j.drivers.http.direct;

import static com.google.common.truth.Truth.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.Flow;
import org.mirage4j.drivers.http.StackHttpServer;
import org.mirage4j.drivers.http.StaticFiles;
import org.mirage4j.drivers.kv.CrunchKvRo;

/**
 * The HTTP server and static-file handler, unchanged, on mirage4j's direct TCP/IP stack: a server
 * host and a client host, each a full direct stack, joined by an in-memory Ethernet cable.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpOverDirectStackTest {

  static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 80);

  Wire wire;
  DirectHost serverHost;
  DirectHost clientHost;
  StackHttpServer http;
  Thread serving;

  @BeforeEach
  void start() throws Exception {
    wire = new Wire();
    serverHost = new DirectHost(wire.a, "10.0.0.1/24");
    clientHost = new DirectHost(wire.b, "10.0.0.2/24");
    CrunchKvRo site = new CrunchKvRo("site");
    site.connect();
    http = new StackHttpServer(serverHost.stack, 80);
    http.connect();
    serving =
        new Thread(
            () -> {
              try {
                http.serve(new StaticFiles(site));
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            },
            "serve");
    serving.setDaemon(true);
    serving.start();
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    serving.join(20_000);
    assertThat(serving.isAlive()).isFalse();
    clientHost.close();
    serverHost.close();
  }

  /** A response read off a flow. */
  record Response(int status, Map<String, String> headers, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Reads responses from a flow, keeping what arrived beyond the current one. */
  static final class Reader {
    final Flow flow;
    final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    Reader(Flow flow) {
      this.flow = flow;
    }

    private boolean more() throws IOException {
      ByteBuffer b = ByteBuffer.allocate(16 * 1024);
      int n = flow.read(b);
      if (n < 0) {
        return false;
      }
      pending.write(b.array(), 0, n);
      return true;
    }

    Response read(boolean head) throws IOException {
      int end;
      while ((end = pending.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n")) < 0) {
        if (!more()) {
          throw new IOException("closed before a response");
        }
      }
      String[] lines = pending.toString(StandardCharsets.ISO_8859_1).substring(0, end).split("\r\n");
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
      }
      int length = head || !headers.containsKey("content-length") ? 0 : Integer.parseInt(headers.get("content-length"));
      while (pending.size() < end + 4 + length) {
        if (!more()) {
          throw new IOException("closed inside a body");
        }
      }
      byte[] all = pending.toByteArray();
      byte[] body = java.util.Arrays.copyOfRange(all, end + 4, end + 4 + length);
      pending.reset();
      pending.write(all, end + 4 + length, all.length - end - 4 - length);
      return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    boolean closedByServer() throws IOException {
      try {
        return pending.size() == 0 && !more();
      } catch (IOException e) {
        return true; // reset
      }
    }
  }

  Flow connect() throws IOException {
    return clientHost.stack.tcp().connect(SERVER, Duration.ofSeconds(20));
  }

  static void send(Flow flow, String text) throws IOException {
    flow.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Test
  void servesKeepAliveGetHeadAnd304() throws Exception {
    try (Flow flow = connect()) {
      Reader in = new Reader(flow);
      send(flow, "GET / HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n");
      Response index = in.read(false);
      assertThat(index.status()).isEqualTo(200);
      assertThat(index.text()).isEqualTo("<!doctype html><title>direct</title>\n");
      assertThat(index.headers()).containsEntry("content-type", "text/html; charset=utf-8");
      String etag = index.headers().get("etag");

      send(flow, "HEAD /big.txt HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n");
      Response head = in.read(true);
      assertThat(head.headers()).containsEntry("content-length", "200000");

      send(flow, "GET /index.html HTTP/1.1\r\nHost: 10.0.0.1\r\nIf-None-Match: " + etag + "\r\n\r\n");
      assertThat(in.read(false).status()).isEqualTo(304);

      // A body larger than the windows and segments of the stack arrives whole.
      send(flow, "GET /big.txt HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n");
      Response big = in.read(false);
      assertThat(big.body()).hasLength(200000);
      assertThat(big.text().chars().allMatch(c -> c == 'x')).isTrue();

      send(flow, "GET /missing HTTP/1.1\r\nHost: 10.0.0.1\r\nConnection: close\r\n\r\n");
      Response missing = in.read(false);
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.headers()).containsEntry("connection", "close");
      assertThat(in.closedByServer()).isTrue();
    }
  }

  @Test
  void refusesMalformedAndEscapingRequests() throws Exception {
    for (String bad :
        new String[] {
          "BROKEN\r\n\r\n",
          "GET /%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
          "GET / HTTP/1.1\r\nHost: x\r\nX: " + "y".repeat(17_000) + "\r\n\r\n"
        }) {
      try (Flow flow = connect()) {
        Reader in = new Reader(flow);
        send(flow, bad);
        Response r = in.read(false);
        assertThat(r.status()).isAnyOf(400, 431);
        assertThat(in.closedByServer()).isTrue();
      }
    }
    try (Flow flow = connect()) {
      send(flow, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
      Response r = new Reader(flow).read(false);
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.headers()).containsEntry("allow", "GET, HEAD, OPTIONS");
    }
  }

  @Test
  void aClientThatDisconnectsMidRequestLeavesTheServerServing() throws Exception {
    try (Flow flow = connect()) {
      send(flow, "GET /index.html HTTP/1.1\r\nHo");
    }
    try (Flow flow = connect()) {
      send(flow, "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(new Reader(flow).read(false).status()).isEqualTo(200);
    }
  }
}
