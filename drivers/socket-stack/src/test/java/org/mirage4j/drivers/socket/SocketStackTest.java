package org.mirage4j.drivers.socket;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.Flow;
import org.mirage4j.api.TcpListener;
import org.mirage4j.api.UdpSocket;

@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketStackTest {

  static final Duration CONNECT = Duration.ofSeconds(10);
  SocketStack stack;

  @BeforeEach
  void setUp() throws IOException {
    stack = new SocketStack();
    stack.connect();
    stack.tcp().connect();
    stack.udp().connect();
  }

  @AfterEach
  void tearDown() throws IOException {
    stack.close();
  }

  static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** Reads until end of stream. */
  static String readAll(Flow flow) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buffer = ByteBuffer.allocate(7);
    while (flow.read(buffer) >= 0) {
      out.write(buffer.array(), 0, buffer.position());
      buffer.clear();
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  static boolean ipv6LoopbackWorks() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  void echoOver(InetAddress loopback) throws Exception {
    try (TcpListener listener = stack.tcp().listen(0, 8)) {
      assertThat(listener.port()).isGreaterThan(0);
      CompletableFuture<String> served =
          CompletableFuture.supplyAsync(
              () -> {
                try (Flow flow = listener.accept()) {
                  String got = readAll(flow); // until the client's shutdownOutput
                  flow.write(ascii("echo:" + got));
                  return got;
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      try (Flow client = stack.tcp().connect(new InetSocketAddress(loopback, listener.port()), CONNECT)) {
        assertThat(client.remoteAddress().getPort()).isEqualTo(listener.port());
        assertThat(client.remoteAddress().getAddress()).isEqualTo(loopback);
        assertThat(client.localAddress().getPort()).isGreaterThan(0);
        client.write(ascii("hello "));
        client.write(ByteBuffer.allocateDirect(5).put(ascii("world")).flip());
        client.shutdownOutput();
        assertThrows(IOException.class, () -> client.write(ascii("late")));
        assertThat(readAll(client)).isEqualTo("echo:hello world");
      }
      assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo("hello world");
    }
  }

  @Test
  void tcpOverIpv4Loopback() throws Exception {
    echoOver(InetAddress.getByName("127.0.0.1"));
  }

  @Test
  void tcpOverIpv6Loopback() throws Exception {
    Assumptions.assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
    echoOver(InetAddress.getByName("::1"));
  }

  @Test
  void listeningOnOneAddressAcceptsOnlyThere() throws Exception {
    InetAddress one = InetAddress.getByName("127.0.0.1");
    try (TcpListener listener = stack.tcp().listen(one, 0, 8)) {
      // another loopback address of the host is not listened on
      assertThrows(
          ConnectException.class,
          () -> stack.tcp().connect(new InetSocketAddress("127.0.0.2", listener.port()), CONNECT));
      try (Flow client = stack.tcp().connect(new InetSocketAddress(one, listener.port()), CONNECT);
          Flow served = listener.accept()) {
        assertThat(served.localAddress().getAddress()).isEqualTo(one);
      }
    }
    // an address the host does not have
    assertThrows(BindException.class, () -> stack.tcp().listen(InetAddress.getByName("192.0.2.7"), 0, 8));
  }

  @Test
  void closingTheListenerUnblocksAccept() throws Exception {
    TcpListener listener = stack.tcp().listen(0, 1);
    CompletableFuture<Flow> accepting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return listener.accept();
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    Thread.sleep(100); // let it block (the test passes whether or not it got there first)
    listener.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> accepting.get(30, TimeUnit.SECONDS));
    assertThat(e).hasCauseThat().hasCauseThat().isInstanceOf(ClosedChannelException.class);
    assertThrows(ClosedChannelException.class, listener::accept);
    listener.close(); // idempotent
  }

  @Test
  void closingAFlowUnblocksItsReader() throws Exception {
    try (TcpListener listener = stack.tcp().listen(0, 1);
        Flow client = stack.tcp().connect(new InetSocketAddress("127.0.0.1", listener.port()), CONNECT);
        Flow server = listener.accept()) {
      CompletableFuture<Integer> reading =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return server.read(ByteBuffer.allocate(10));
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      Thread.sleep(100);
      server.close();
      ExecutionException e = assertThrows(ExecutionException.class, () -> reading.get(30, TimeUnit.SECONDS));
      assertThat(e).hasCauseThat().hasCauseThat().isInstanceOf(IOException.class);
      assertThrows(ClosedChannelException.class, () -> server.read(ByteBuffer.allocate(1)));
      // The peer sees the end of the stream.
      assertThat(client.read(ByteBuffer.allocate(1))).isEqualTo(-1);
      server.close(); // idempotent
    }
  }

  @Test
  void readTimeoutExpiresAndTheFlowStaysUsable() throws Exception {
    try (TcpListener listener = stack.tcp().listen(0, 1);
        Flow client = stack.tcp().connect(new InetSocketAddress("127.0.0.1", listener.port()), CONNECT);
        Flow server = listener.accept()) {
      server.readTimeout(Duration.ofMillis(50));
      assertThrows(SocketTimeoutException.class, () -> server.read(ByteBuffer.allocate(4)));
      server.readTimeout(Duration.ZERO);
      client.write(ascii("ping"));
      ByteBuffer got = ByteBuffer.allocate(4);
      while (got.hasRemaining()) {
        assertThat(server.read(got)).isGreaterThan(0);
      }
      assertThat(new String(got.array(), StandardCharsets.US_ASCII)).isEqualTo("ping");
      assertThrows(IllegalArgumentException.class, () -> server.readTimeout(Duration.ofMillis(-1)));
    }
  }

  @Test
  void connectionRefused() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    assertThrows(
        ConnectException.class,
        () -> stack.tcp().connect(new InetSocketAddress("127.0.0.1", port), CONNECT));
  }

  @Test
  void connectTimesOut() throws Exception {
    // A listener that never accepts: once its accept queue is full the host drops further SYNs,
    // so a connect waits for its timeout. Connections that still fit in the queue succeed.
    java.util.List<Flow> queued = new java.util.ArrayList<>();
    try (TcpListener listener = stack.tcp().listen(0, 1)) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", listener.port());
      SocketTimeoutException timedOut = null;
      for (int i = 0; i < 64 && timedOut == null; i++) {
        try {
          queued.add(stack.tcp().connect(target, Duration.ofMillis(200)));
        } catch (SocketTimeoutException e) {
          timedOut = e;
        }
      }
      Assumptions.assumeTrue(timedOut != null, "this host never drops SYNs for a full accept queue");
    } finally {
      for (Flow flow : queued) {
        flow.close();
      }
    }
  }

  @Test
  void listeningOnAPortInUseFails() throws IOException {
    try (TcpListener first = stack.tcp().listen(0, 1)) {
      assertThrows(BindException.class, () -> stack.tcp().listen(first.port(), 1));
    }
    assertThrows(IllegalArgumentException.class, () -> stack.tcp().listen(70000, 1));
  }

  @Test
  void closingTheStackReleasesEverything() throws Exception {
    TcpListener listener = stack.tcp().listen(0, 1);
    Flow client = stack.tcp().connect(new InetSocketAddress("127.0.0.1", listener.port()), CONNECT);
    Flow server = listener.accept();
    UdpSocket udp = stack.udp().bind(0);
    CompletableFuture<Flow> accepting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return listener.accept();
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    stack.close();
    assertThrows(ExecutionException.class, () -> accepting.get(30, TimeUnit.SECONDS));
    assertThrows(IOException.class, () -> server.read(ByteBuffer.allocate(1)));
    assertThrows(IOException.class, () -> client.write(ascii("x")));
    assertThrows(IOException.class, () -> udp.receive(ByteBuffer.allocate(1)));
    assertThrows(IOException.class, () -> stack.tcp().listen(0, 1));
  }

  void udpOver(InetAddress loopback) throws Exception {
    try (UdpSocket a = stack.udp().bind(0);
        UdpSocket b = stack.udp().bind(0)) {
      assertThat(a.port()).isGreaterThan(0);
      a.send(new InetSocketAddress(loopback, b.port()), ascii("datagram one"));
      ByteBuffer into = ByteBuffer.allocate(64);
      InetSocketAddress from = b.receive(into);
      assertThat(from.getPort()).isEqualTo(a.port());
      assertThat(from.getAddress()).isEqualTo(loopback);
      assertThat(new String(into.array(), 0, into.position(), StandardCharsets.US_ASCII))
          .isEqualTo("datagram one");
      // A datagram larger than the buffer is cut, and the rest dropped.
      b.send(from, ascii("0123456789abcdef"));
      ByteBuffer small = ByteBuffer.allocate(4);
      a.receive(small);
      assertThat(new String(small.array(), StandardCharsets.US_ASCII)).isEqualTo("0123");
      b.send(from, ascii("next"));
      ByteBuffer next = ByteBuffer.allocate(16);
      a.receive(next);
      assertThat(new String(next.array(), 0, next.position(), StandardCharsets.US_ASCII)).isEqualTo("next");
    }
  }

  @Test
  void udpOverIpv4Loopback() throws Exception {
    udpOver(InetAddress.getByName("127.0.0.1"));
  }

  @Test
  void udpOverIpv6Loopback() throws Exception {
    Assumptions.assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback on this machine");
    udpOver(InetAddress.getByName("::1"));
  }

  @Test
  void closingAUdpSocketUnblocksReceive() throws Exception {
    UdpSocket socket = stack.udp().bind(0);
    CompletableFuture<InetSocketAddress> receiving =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return socket.receive(ByteBuffer.allocate(8));
              } catch (IOException e) {
                throw new RuntimeException(e);
              }
            });
    Thread.sleep(100);
    socket.close();
    ExecutionException e = assertThrows(ExecutionException.class, () -> receiving.get(30, TimeUnit.SECONDS));
    assertThat(e).hasCauseThat().hasCauseThat().isInstanceOf(ClosedChannelException.class);
    socket.close(); // idempotent
  }

  @Test
  void addressesMeansAny() {
    assertThat(stack.addresses()).isEmpty();
  }
}
