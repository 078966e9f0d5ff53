package org.mirage4j.drivers.http;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.http.HttpHandler;
import org.mirage4j.api.http.HttpResponse;

/**
 * Slow and greedy clients are bounded without locking others out. Every test here is bounded in
 * connections and time and ends by itself; pauses only pace the slow clients, nothing is timed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SlowClientsTest {

  ServerFixture fx;
  final CountDownLatch release = new CountDownLatch(1);
  final java.util.concurrent.atomic.AtomicInteger holding = new java.util.concurrent.atomic.AtomicInteger();

  /** Holds requests for /hold until {@link #release}; answers the rest at once. */
  final HttpHandler handler =
      request -> {
        if (request.path().equals("/hold")) {
          holding.incrementAndGet();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        request.bodyBytes();
        return HttpResponse.text(200, "ok " + request.path());
      };

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    if (fx != null) {
      fx.close();
    }
  }

  static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n";
  }

  static void pause(long millis) throws InterruptedException {
    Thread.sleep(millis);
  }

  /** A raw client connected from {@code local} (another loopback address is another client). */
  static RawClient from(String local, int port) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(local), 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    return new RawClient(s);
  }

  @Test
  void aHeadThatTricklesInIsCutAtTheHeadDeadline() throws Exception {
    fx = new ServerFixture(handler, StackHttpServer.Limits.defaults().withHeaderTimeout(Duration.ofMillis(500)));
    try (RawClient raw = fx.raw()) {
      raw.send("GET / HTTP/1.1\r\nHost: t\r\n");
      RawClient.Response r = null;
      // one header line every 100 ms: each read makes progress, the head as a whole is late
      for (int i = 0; i < 100 && r == null; i++) {
        try {
          raw.send("X-" + i + ": a\r\n");
        } catch (IOException e) {
          break; // closed after the 408
        }
        pause(100);
        if (raw.socket.getInputStream().available() > 0) {
          r = raw.read();
        }
      }
      if (r == null) {
        r = raw.read();
      }
      assertThat(r.status()).isEqualTo(408);
      assertThat(r.header("connection")).isEqualTo("close");
    }
  }

  @Test
  void aBodyBelowTheMinimumRateIsCutAndOneAboveItIsServed() throws Exception {
    fx = new ServerFixture(handler, StackHttpServer.Limits.defaults().withStall(Duration.ofMillis(400), 100));
    try (RawClient raw = fx.raw()) {
      raw.send("PUT /slow HTTP/1.1\r\nHost: t\r\nContent-Length: 10000\r\n\r\n");
      RawClient.Response r = null;
      // 1 byte per 100 ms: 10 bytes/s against at least 100
      for (int i = 0; i < 100 && r == null; i++) {
        try {
          raw.send("b");
        } catch (IOException e) {
          break;
        }
        pause(100);
        if (raw.socket.getInputStream().available() > 0) {
          r = raw.read();
        }
      }
      if (r == null) {
        r = raw.read();
      }
      assertThat(r.status()).isEqualTo(408);
    }
    try (RawClient raw = fx.raw()) {
      // 500 bytes per 100 ms: far above the minimum
      raw.send("PUT /steady HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n");
      for (int i = 0; i < 10; i++) {
        raw.send("c".repeat(500));
        pause(100);
      }
      RawClient.Response r = raw.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text()).isEqualTo("ok /steady");
    }
  }

  @Test
  void whenFullTheLongestIdleConnectionMakesRoom() throws Exception {
    fx = new ServerFixture(handler, StackHttpServer.Limits.defaults().withMaxConnections(3, 100));
    RawClient oldest = fx.raw();
    oldest.send(get("/a"));
    assertThat(oldest.read().status()).isEqualTo(200);
    RawClient younger = fx.raw();
    younger.send(get("/b"));
    assertThat(younger.read().status()).isEqualTo(200);
    RawClient busy = fx.raw();
    busy.send(get("/hold"));
    awaitHolding(1);
    // full: the next connection takes the place of the one idle the longest
    try (RawClient next = fx.raw()) {
      next.send(get("/c"));
      assertThat(next.read().text()).isEqualTo("ok /c");
    }
    assertThat(oldest.closedByServer()).isTrue();
    younger.send(get("/b2"));
    assertThat(younger.read().text()).isEqualTo("ok /b2");
    release.countDown();
    assertThat(busy.read().text()).isEqualTo("ok /hold");
    oldest.close();
    younger.close();
    busy.close();
  }

  @Test
  void oneClientCannotTakeEveryConnection() throws Exception {
    fx = new ServerFixture(handler, StackHttpServer.Limits.defaults().withMaxConnections(100, 2));
    List<RawClient> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      RawClient c = from("127.0.0.1", fx.port());
      c.send(get("/hold"));
      held.add(c);
    }
    awaitHolding(2);
    // the client is at its cap with two busy connections: refused
    try (RawClient third = from("127.0.0.1", fx.port())) {
      RawClient.Response r = third.read();
      assertThat(r.status()).isEqualTo(503);
    }
    // another client is served
    try (RawClient other = from("127.0.0.2", fx.port())) {
      other.send(get("/other"));
      assertThat(other.read().text()).isEqualTo("ok /other");
    }
    release.countDown();
    for (RawClient c : held) {
      assertThat(c.read().status()).isEqualTo(200);
      c.close();
    }
  }

  @Test
  void fiveHundredSlowConnectionsDoNotLockOutANormalClient() throws Exception {
    // the defaults, as a user runs the server
    fx = new ServerFixture(handler);
    assertNormalClientServedDespiteSlowloris(500);
    fx.close();
    // a server ten times smaller than the attack: slow heads make room for normal requests
    fx = new ServerFixture(handler, StackHttpServer.Limits.defaults().withMaxConnections(50, 50));
    assertNormalClientServedDespiteSlowloris(500);
  }

  /**
   * Opens {@code count} connections that send a request head one header line at a time and never
   * finish it (slowloris), and while they trickle, makes 40 normal requests, each on a new
   * connection from the same address: every one must be answered 200.
   */
  private void assertNormalClientServedDespiteSlowloris(int count) throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", fx.port()), 10_000);
        s.getOutputStream().write(("GET /slow" + i + " HTTP/1.1\r\nHost: t\r\n").getBytes(StandardCharsets.US_ASCII));
        slow.add(s);
      }
      int served = 0;
      for (int round = 0; round < 40; round++) {
        if (round % 10 == 0) {
          trickle(slow, round);
        }
        try (RawClient normal = fx.raw()) {
          normal.send(get("/normal" + round));
          RawClient.Response r = normal.read();
          assertThat(r.status()).isEqualTo(200);
          assertThat(r.text()).isEqualTo("ok /normal" + round);
          served++;
        }
      }
      assertThat(served).isEqualTo(40);
    } finally {
      for (Socket s : slow) {
        s.close();
      }
    }
  }

  /** One more header line on every slow connection still open. */
  private static void trickle(List<Socket> slow, int round) {
    for (Socket s : slow) {
      try {
        OutputStream out = s.getOutputStream();
        out.write(("X-Slow-" + round + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        // closed by the server to make room: as intended
      }
    }
  }

  /** Waits (bounded) until {@code n} requests are held in the handler: those connections are busy. */
  private void awaitHolding(int n) throws InterruptedException {
    for (int i = 0; i < 4000 && holding.get() < n; i++) {
      Thread.sleep(5);
    }
    assertThat(holding.get()).isEqualTo(n);
  }
}
