package org.mirage4j.drivers.direct;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.Flow;
import org.mirage4j.api.TcpListener;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TcpTest {

  private final ExecutorService pool = Executors.newCachedThreadPool();
  private Lan lan;

  @AfterEach
  void tearDown() throws IOException {
    pool.shutdownNow();
    if (lan != null) {
      lan.close();
    }
  }

  private InetSocketAddress b(int port) {
    return new InetSocketAddress(lan.b.address.toInetAddress(), port);
  }

  private InetSocketAddress a(int port) {
    return new InetSocketAddress(lan.a.address.toInetAddress(), port);
  }

  static byte[] data(long seed, int n) {
    byte[] d = new byte[n];
    new Random(seed).nextBytes(d);
    return d;
  }

  static String sha256(byte[] d) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(d));
  }

  static byte[] readAll(Flow f) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(7919);
    while (true) {
      buf.clear();
      int n = f.read(buf);
      if (n < 0) {
        return out.toByteArray();
      }
      out.write(buf.array(), 0, n);
    }
  }

  static void writeAll(Flow f, byte[] d) throws IOException {
    // Uneven chunks exercise partial segments.
    int off = 0;
    int chunk = 1;
    while (off < d.length) {
      int n = Math.min(d.length - off, chunk);
      f.write(ByteBuffer.wrap(d, off, n));
      off += n;
      chunk = chunk * 3 % 65521 + 1;
    }
  }

  /** Client (A) sends {@code up} bytes, server (B) sends {@code down} bytes back; both compared. */
  private void exchange(int up, int down) throws Exception {
    byte[] toServer = data(1, up);
    byte[] toClient = data(2, down);
    TcpListener l = lan.b.tcp.listen(8080, 8);
    Future<byte[]> server = pool.submit(() -> {
      try (Flow f = l.accept()) {
        Future<?> w = pool.submit(() -> {
          writeAll(f, toClient);
          f.shutdownOutput();
          return null;
        });
        byte[] got = readAll(f);
        w.get();
        return got;
      }
    });
    byte[] got;
    try (Flow c = lan.a.tcp.connect(b(8080), Duration.ofSeconds(30))) {
      Future<?> w = pool.submit(() -> {
        writeAll(c, toServer);
        c.shutdownOutput();
        return null;
      });
      got = readAll(c);
      w.get();
    }
    assertThat(sha256(server.get())).isEqualTo(sha256(toServer));
    assertThat(sha256(got)).isEqualTo(sha256(toClient));
    l.close();
    Await.until("all connections gone", () -> lan.a.tcp.connectionCount() == 0
        && lan.b.tcp.connectionCount() == 0);
  }

  @Test
  void listensOnItsOwnAddressOrTheWildcardOnly() throws Exception {
    lan = new Lan(1);
    java.net.InetAddress own = lan.b.address.toInetAddress();
    lan.b.tcp.listen(own, 81, 4).close();
    lan.b.tcp.listen(java.net.InetAddress.getByName("0.0.0.0"), 82, 4).close();
    java.net.BindException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.net.BindException.class,
            () -> lan.b.tcp.listen(java.net.InetAddress.getByName("127.0.0.1"), 83, 4));
    assertThat(e).hasMessageThat().contains("the direct stack's address is " + lan.b.address);
  }

  @Test
  void handshakeAndEcho() throws Exception {
    lan = new Lan(1);
    TcpListener l = lan.b.tcp.listen(7, 4);
    Future<?> echo = pool.submit(() -> {
      try (Flow f = l.accept()) {
        ByteBuffer buf = ByteBuffer.allocate(100);
        int n = f.read(buf);
        buf.flip();
        f.write(buf);
        return n;
      }
    });
    try (Flow c = lan.a.tcp.connect(b(7), Duration.ofSeconds(5))) {
      assertThat(c.remoteAddress()).isEqualTo(b(7));
      assertThat(c.localAddress().getAddress()).isEqualTo(lan.a.address.toInetAddress());
      c.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
      ByteBuffer buf = ByteBuffer.allocate(100);
      int n = c.read(buf);
      assertThat(new String(buf.array(), 0, n, StandardCharsets.US_ASCII)).isEqualTo("hello");
      assertThat(c.read(buf)).isEqualTo(-1);
    }
    assertThat(echo.get()).isEqualTo(5);
  }

  @Test
  void cleanTransferBothWays() throws Exception {
    lan = new Lan(2);
    exchange(1 << 20, 1 << 20);
    assertThat(lan.sw.dropped.get()).isEqualTo(0L);
  }

  @Test
  void multiMegabyteTransferWithLossDuplicationAndReordering() throws Exception {
    lan = new Lan(3);
    lan.sw.loss = 0.02;
    lan.sw.duplicate = 0.01;
    lan.sw.reorder = 0.05;
    exchange(6 << 20, 2 << 20);
    assertThat(lan.sw.dropped.get()).isGreaterThan(100L);
    assertThat(lan.a.tcp.retransmitCount()).isGreaterThan(0L);
    assertThat(lan.a.tcp.fastRetransmitCount()).isGreaterThan(0L);
    System.out.printf("lossy transfer: %d frames dropped, A: %d retransmits (%d fast, %d timeouts),"
            + " B: %d retransmits (%d fast, %d timeouts), %d ms virtual%n",
        lan.sw.dropped.get(), lan.a.tcp.retransmitCount(), lan.a.tcp.fastRetransmitCount(),
        lan.a.tcp.timeoutCount(), lan.b.tcp.retransmitCount(), lan.b.tcp.fastRetransmitCount(),
        lan.b.tcp.timeoutCount(), lan.sim.nanoTime() / 1_000_000);
  }

  @Test
  void sequenceNumbersAcrossTheWrap() throws Exception {
    lan = new Lan(4);
    lan.a.tcp.isnSource = () -> 0xFFFF_F000; // wraps after 4 KiB
    lan.b.tcp.isnSource = () -> 0xFFFF_FFFE; // wraps at once
    lan.sw.loss = 0.01;
    lan.sw.reorder = 0.05;
    exchange(2 << 20, 2 << 20);
  }

  @Test
  void connectToClosedPortIsRefused() throws Exception {
    lan = new Lan(5);
    assertThrows(ConnectException.class, () -> lan.a.tcp.connect(b(9999), Duration.ofSeconds(5)));
    assertThat(lan.a.tcp.connectionCount()).isEqualTo(0);
  }

  @Test
  void connectTimesOutWhenNothingAnswers() throws Exception {
    lan = new Lan(6);
    lan.sw.filter = f -> true; // a black hole
    assertThrows(java.net.SocketTimeoutException.class,
        () -> lan.a.tcp.connect(b(80), Duration.ofSeconds(3)));
  }

  @Test
  void closeWithUnreadDataResetsThePeer() throws Exception {
    lan = new Lan(7);
    TcpListener l = lan.b.tcp.listen(80, 4);
    Future<Flow> accepted = pool.submit(l::accept);
    Flow c = lan.a.tcp.connect(b(80), Duration.ofSeconds(5));
    Flow s = accepted.get();
    c.write(ByteBuffer.wrap(new byte[1000]));
    // One byte read: the segment has arrived and 999 bytes stay unread.
    assertThat(s.read(ByteBuffer.allocate(1))).isEqualTo(1);
    s.close();
    IOException e = assertThrows(IOException.class, () -> c.read(ByteBuffer.allocate(10)));
    assertThat(e).hasMessageThat().contains("reset");
    Await.until("both gone", () -> lan.a.tcp.connectionCount() == 0 && lan.b.tcp.connectionCount() == 0);
  }

  private void closeScenario(boolean clientFirst, boolean serverFirst) throws Exception {
    TcpListener l = lan.b.tcp.listen(80, 4);
    Future<Flow> accepted = pool.submit(l::accept);
    Flow c = lan.a.tcp.connect(b(80), Duration.ofSeconds(5));
    Flow s = accepted.get();
    c.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
    ByteBuffer buf = ByteBuffer.allocate(10);
    assertThat(s.read(buf)).isEqualTo(4);
    long twA = lan.a.tcp.timeWaitsEntered.get();
    long twB = lan.b.tcp.timeWaitsEntered.get();
    if (clientFirst && serverFirst) {
      // Both FINs leave before either arrives: CLOSING on both sides (RFC 9293 figure 13).
      lan.sim.frozen = true;
      long before = lan.a.tcp.simultaneousCloses.get() + lan.b.tcp.simultaneousCloses.get();
      c.close();
      s.close();
      lan.sim.frozen = false;
      Await.until("both closed", () -> lan.a.tcp.connectionCount() == 0 && lan.b.tcp.connectionCount() == 0);
      if (lan.sw.loss == 0) {
        assertThat(lan.a.tcp.simultaneousCloses.get() + lan.b.tcp.simultaneousCloses.get() - before)
            .isEqualTo(2);
      }
    } else if (clientFirst) {
      c.close();
      assertThat(s.read(buf)).isEqualTo(-1);
      s.close();
    } else {
      s.close();
      assertThat(c.read(buf)).isEqualTo(-1);
      c.close();
    }
    Await.until("all closed", () -> lan.a.tcp.connectionCount() == 0 && lan.b.tcp.connectionCount() == 0);
    // Whoever sent the first FIN (both, when simultaneous) went through TIME_WAIT; the other did not.
    assertThat(lan.a.tcp.timeWaitsEntered.get() - twA).isEqualTo(clientFirst ? 1 : 0);
    assertThat(lan.b.tcp.timeWaitsEntered.get() - twB).isEqualTo(serverFirst ? 1 : 0);
    l.close();
  }

  private static void close(Flow f) {
    try {
      f.close();
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  @Test
  void activeCloseByClientLeavesTimeWaitOnClient() throws Exception {
    lan = new Lan(8);
    TcpListener l = lan.b.tcp.listen(80, 4);
    Future<Flow> accepted = pool.submit(l::accept);
    Flow c = lan.a.tcp.connect(b(80), Duration.ofSeconds(5));
    Flow s = accepted.get();
    c.close();
    assertThat(s.read(ByteBuffer.allocate(1))).isEqualTo(-1);
    s.close();
    Await.until("server side gone", () -> lan.b.tcp.connectionCount() == 0);
    // The active closer holds TIME_WAIT until 2 MSL of virtual time have passed.
    assertThat(lan.a.tcp.timeWaitsEntered.get()).isEqualTo(1);
    assertThat(lan.b.tcp.timeWaitsEntered.get()).isEqualTo(0);
    Await.until("TIME_WAIT expires", () -> lan.a.tcp.connectionCount() == 0);
    assertThat(lan.sim.nanoTime()).isGreaterThan(TcpLayer.TIME_WAIT);
  }

  @Test
  void closeClientFirst() throws Exception {
    lan = new Lan(9);
    closeScenario(true, false);
  }

  @Test
  void closeServerFirst() throws Exception {
    lan = new Lan(10);
    closeScenario(false, true);
  }

  @Test
  void closeSimultaneously() throws Exception {
    lan = new Lan(11);
    lan.sw.latencyNanos = TimeUnit.MILLISECONDS.toNanos(50);
    closeScenario(true, true);
  }

  @Test
  void closeEveryOrderWithLoss() throws Exception {
    lan = new Lan(12);
    lan.sw.loss = 0.2;
    closeScenario(true, false);
    closeScenario(false, true);
    closeScenario(true, true);
  }

  @Test
  void halfCloseKeepsTheOtherDirectionOpen() throws Exception {
    lan = new Lan(13);
    TcpListener l = lan.b.tcp.listen(80, 4);
    Future<Flow> accepted = pool.submit(l::accept);
    Flow c = lan.a.tcp.connect(b(80), Duration.ofSeconds(5));
    Flow s = accepted.get();
    c.write(ByteBuffer.wrap("request".getBytes(StandardCharsets.US_ASCII)));
    c.shutdownOutput();
    assertThat(new String(readAll(s), StandardCharsets.US_ASCII)).isEqualTo("request");
    byte[] reply = data(3, 300_000);
    writeAll(s, reply);
    s.close();
    assertThat(sha256(readAll(c))).isEqualTo(sha256(reply));
    assertThrows(IOException.class, () -> c.write(ByteBuffer.wrap(new byte[1])));
    c.close();
    Await.until("all closed", () -> lan.a.tcp.connectionCount() == 0 && lan.b.tcp.connectionCount() == 0);
  }

  @Test
  void slowReaderClosesTheWindowAndTransferStillCompletes() throws Exception {
    lan = new Lan(14);
    byte[] d = data(4, 3 * TcpLayer.RCV_BUF);
    TcpListener l = lan.b.tcp.listen(80, 4);
    Future<Flow> accepted = pool.submit(l::accept);
    Flow c = lan.a.tcp.connect(b(80), Duration.ofSeconds(5));
    Flow s = accepted.get();
    Future<?> w = pool.submit(() -> {
      writeAll(c, d);
      c.shutdownOutput();
      return null;
    });
    // Do not read until the sender is stuck on a full window and a full send buffer.
    Thread.sleep(300);
    assertThat(w.isDone()).isFalse();
    assertThat(sha256(readAll(s))).isEqualTo(sha256(d));
    w.get();
    c.close();
    s.close();
  }

  @Test
  void simultaneousOpen() throws Exception {
    lan = new Lan(15);
    lan.sw.latencyNanos = TimeUnit.MILLISECONDS.toNanos(200);
    // Hold time still until both SYNs have been sent, so that they cross on the wire.
    lan.sim.frozen = true;
    Future<Flow> fa = pool.submit(() -> lan.a.tcp.connect(b(5002), 5001, Duration.ofSeconds(10)));
    Future<Flow> fb = pool.submit(() -> lan.b.tcp.connect(a(5001), 5002, Duration.ofSeconds(10)));
    Await.until("both SYN_SENT", () -> lan.a.tcp.connectionCount() == 1 && lan.b.tcp.connectionCount() == 1);
    lan.sim.frozen = false;
    Flow x = fa.get();
    Flow y = fb.get();
    assertThat(lan.a.tcp.simultaneousOpens.get()).isEqualTo(1);
    assertThat(lan.b.tcp.simultaneousOpens.get()).isEqualTo(1);
    x.write(ByteBuffer.wrap("from a".getBytes(StandardCharsets.US_ASCII)));
    y.write(ByteBuffer.wrap("from b".getBytes(StandardCharsets.US_ASCII)));
    x.shutdownOutput();
    y.shutdownOutput();
    assertThat(new String(readAll(y), StandardCharsets.US_ASCII)).isEqualTo("from a");
    assertThat(new String(readAll(x), StandardCharsets.US_ASCII)).isEqualTo("from b");
    x.close();
    y.close();
    Await.until("all closed", () -> lan.a.tcp.connectionCount() == 0 && lan.b.tcp.connectionCount() == 0);
  }

  @Test
  void listenerPortClashAndAcceptAfterClose() throws Exception {
    lan = new Lan(16);
    TcpListener l = lan.b.tcp.listen(80, 4);
    assertThrows(java.net.BindException.class, () -> lan.b.tcp.listen(80, 4));
    Future<Flow> pending = pool.submit(l::accept);
    l.close();
    java.util.concurrent.ExecutionException e =
        assertThrows(java.util.concurrent.ExecutionException.class, pending::get);
    assertThat(e).hasCauseThat().isInstanceOf(java.nio.channels.ClosedChannelException.class);
    TcpListener any = lan.b.tcp.listen(0, 4);
    assertThat(any.port()).isGreaterThan(0);
  }

  @Test
  void readTimeoutExpiresInVirtualTime() throws Exception {
    lan = new Lan(17);
    TcpListener l = lan.b.tcp.listen(80, 4);
    Future<Flow> accepted = pool.submit(l::accept);
    Flow c = lan.a.tcp.connect(b(80), Duration.ofSeconds(5));
    accepted.get();
    c.readTimeout(Duration.ofSeconds(30));
    long before = lan.sim.nanoTime();
    assertThrows(java.net.SocketTimeoutException.class, () -> c.read(ByteBuffer.allocate(10)));
    assertThat(lan.sim.nanoTime() - before).isAtLeast(Duration.ofSeconds(30).toNanos());
  }

  @Test
  void resetByPeerIsReported() throws Exception {
    lan = new Lan(18);
    TcpListener l = lan.b.tcp.listen(80, 4);
    Future<Flow> accepted = pool.submit(l::accept);
    Flow c = lan.a.tcp.connect(b(80), Duration.ofSeconds(5));
    accepted.get();
    lan.b.tcp.close(); // resets every connection
    SocketException e = assertThrows(SocketException.class, () -> c.read(ByteBuffer.allocate(10)));
    assertThat(e).hasMessageThat().contains("reset");
  }
}
