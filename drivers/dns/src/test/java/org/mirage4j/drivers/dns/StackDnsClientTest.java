package org.mirage4j.drivers.dns;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.drivers.socket.SocketStack;
import org.mirage4j.runtime.UsageException;

/**
 * The resolver against Debian's dnsmasq on loopback (skipped with a reason where it is missing),
 * and against servers of the test's own that stay silent or answer nonsense.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StackDnsClientTest {

  @TempDir static Path dir;
  static Dnsmasq dnsmasq;
  static SocketStack stack;
  final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  static void startResolver() throws Exception {
    stack = new SocketStack();
    stack.connect();
    if (!Dnsmasq.available()) {
      return;
    }
    List<String> hosts = new ArrayList<>(List.of("10.0.0.5 web.test", "fd00::5 web.test", "10.0.0.6 v4only.test"));
    for (int i = 1; i <= 120; i++) {
      hosts.add("10.9." + (i / 200) + "." + (i % 200 + 1) + " big.test");
    }
    // *.test is answered from here (names not given do not exist); other names would go upstream,
    // of which there is none: REFUSED
    dnsmasq = Dnsmasq.start(dir, hosts, "--cname=alias.test,web.test", "--local=/test/", "--local-ttl=60");
  }

  @AfterAll
  static void stopResolver() throws Exception {
    if (dnsmasq != null) {
      dnsmasq.close();
    }
    stack.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  StackDnsClient client(Duration timeout, int retries, InetSocketAddress... servers) {
    StackDnsClient c = new StackDnsClient(stack, List.of(servers), timeout, retries);
    c.connect();
    closing.add(c);
    return c;
  }

  static void needDnsmasq() {
    Assumptions.assumeTrue(dnsmasq != null, Dnsmasq::unavailableReason);
  }

  @Test
  void resolvesAAndAaaaFollowingCnames() throws Exception {
    needDnsmasq();
    StackDnsClient dns = client(Duration.ofSeconds(2), 1, dnsmasq.address());
    assertThat(dns.resolveIpv4("web.test")).containsExactly(InetAddress.getByName("10.0.0.5"));
    assertThat(dns.resolveIpv6("web.test")).containsExactly(InetAddress.getByName("fd00::5"));
    assertThat(dns.resolve("alias.test"))
        .containsExactly(InetAddress.getByName("10.0.0.5"), InetAddress.getByName("fd00::5")).inOrder();
    assertThat(dns.resolveIpv4("WEB.Test.")).containsExactly(InetAddress.getByName("10.0.0.5"));
  }

  @Test
  void namesThatDoNotExistOrHaveNoSuchAddress() throws Exception {
    needDnsmasq();
    StackDnsClient dns = client(Duration.ofSeconds(2), 0, dnsmasq.address());
    UnknownHostException nx = assertThrows(UnknownHostException.class, () -> dns.resolveIpv4("a.nx.test"));
    assertThat(nx).hasMessageThat().isEqualTo("a.nx.test does not exist (NXDOMAIN from " + where() + ")");
    UnknownHostException none = assertThrows(UnknownHostException.class, () -> dns.resolveIpv6("v4only.test"));
    assertThat(none).hasMessageThat().isEqualTo("v4only.test has no IPv6 (AAAA) address");
    assertThat(dns.resolve("v4only.test")).containsExactly(InetAddress.getByName("10.0.0.6"));
    IOException refused = assertThrows(IOException.class, () -> dns.resolveIpv4("unknown.example"));
    assertThat(refused).hasMessageThat().contains("REFUSED");
  }

  static String where() {
    return "127.0.0.1:" + dnsmasq.port();
  }

  @Test
  void aTruncatedAnswerIsAskedAgainOverTcp() throws Exception {
    needDnsmasq();
    StackDnsClient dns = client(Duration.ofSeconds(2), 0, dnsmasq.address());
    // 120 records take 1,920 bytes of answers: more than the 1,232 of a UDP answer
    assertThat(dns.resolveIpv4("big.test")).hasSize(120);
  }

  @Test
  void answersAreCachedForTheirTtl() throws Exception {
    needDnsmasq();
    List<String> hosts = List.of("10.7.7.7 cached.test");
    Path own = Files.createDirectories(dir.resolve("own"));
    StackDnsClient dns;
    try (Dnsmasq once = Dnsmasq.start(own, hosts, "--local-ttl=60")) {
      dns = client(Duration.ofMillis(300), 0, once.address());
      assertThat(dns.resolveIpv4("cached.test")).containsExactly(InetAddress.getByName("10.7.7.7"));
    }
    // the server is gone: the answer comes from the cache
    assertThat(dns.resolveIpv4("cached.test")).containsExactly(InetAddress.getByName("10.7.7.7"));
  }

  /** A UDP server of the test's that reads queries and answers with what {@code answer} makes. */
  InetSocketAddress fakeServer(java.util.function.Function<byte[], List<byte[]>> answer) throws IOException {
    DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
    closing.add(socket);
    Thread t = new Thread(() -> {
      byte[] buf = new byte[2048];
      while (!socket.isClosed()) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(p);
          byte[] query = java.util.Arrays.copyOf(p.getData(), p.getLength());
          for (byte[] reply : answer.apply(query)) {
            socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
          }
        } catch (IOException e) {
          return;
        }
      }
    }, "fake-dns");
    t.setDaemon(true);
    t.start();
    return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
  }

  /** A response to {@code query} (its id and question) with one A record, 10.1.1.1, TTL 0. */
  static byte[] goodAnswer(byte[] query) {
    int questionEnd = 12;
    while (query[questionEnd] != 0) {
      questionEnd += (query[questionEnd] & 0xff) + 1;
    }
    questionEnd += 5;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(query[0]);
    out.write(query[1]);
    out.writeBytes(new byte[] {(byte) 0x81, (byte) 0x80, 0, 1, 0, 1, 0, 0, 0, 0});
    out.write(query, 12, questionEnd - 12);
    out.writeBytes(new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 10, 1, 1, 1});
    return out.toByteArray();
  }

  @Test
  void strayAndMalformedAnswersAreIgnored() throws Exception {
    InetSocketAddress tricky = fakeServer(query -> {
      byte[] wrongId = goodAnswer(query);
      wrongId[0] ^= 0x55;
      byte[] badPointer = goodAnswer(query);
      badPointer[badPointer.length - 16] = (byte) 0xff; // a compression pointer out of the message
      return List.of(new byte[] {1, 2, 3}, wrongId, badPointer, new byte[0], goodAnswer(query));
    });
    StackDnsClient dns = client(Duration.ofSeconds(2), 0, tricky);
    assertThat(dns.resolveIpv4("any.test")).containsExactly(InetAddress.getByName("10.1.1.1"));
    // only nonsense: a timeout, not a failure of the client
    InetSocketAddress nonsense = fakeServer(query -> List.of(new byte[] {(byte) 0xde, (byte) 0xad}, new byte[600]));
    StackDnsClient confused = client(Duration.ofMillis(300), 0, nonsense);
    SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> confused.resolveIpv4("any.test"));
    assertThat(e).hasMessageThat().startsWith("no DNS answer for any.test after 1 tries");
  }

  @Test
  void aSilentServerTimesOutAndTheNextAnswers() throws Exception {
    InetSocketAddress silent = fakeServer(query -> List.of());
    InetSocketAddress answering = fakeServer(query -> List.of(goodAnswer(query)));
    StackDnsClient dns = client(Duration.ofMillis(300), 1, silent, answering);
    assertThat(dns.resolveIpv4("x.test")).containsExactly(InetAddress.getByName("10.1.1.1"));
    StackDnsClient alone = client(Duration.ofMillis(200), 2, silent);
    SocketTimeoutException e = assertThrows(SocketTimeoutException.class, () -> alone.resolveIpv4("x.test"));
    assertThat(e).hasMessageThat().isEqualTo(
        "no DNS answer for x.test after 3 tries (" + silent.getAddress().getHostAddress() + ":" + silent.getPort()
            + ": no answer within 200 ms)");
  }

  @Test
  void literalsAndLocalhostNeverAsk() throws Exception {
    InetSocketAddress silent = fakeServer(query -> List.of());
    StackDnsClient dns = client(Duration.ofSeconds(30), 0, silent);
    assertThat(dns.resolve("192.0.2.9")).containsExactly(InetAddress.getByName("192.0.2.9"));
    assertThat(dns.resolve("[::1]")).containsExactly(InetAddress.getByName("::1"));
    assertThat(dns.resolveIpv4("localhost")).containsExactly(InetAddress.getByName("127.0.0.1"));
    assertThat(dns.resolve("app.localhost"))
        .containsExactly(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")).inOrder();
  }

  @Test
  void badNamesAndBadOptionsAreRefusedClearly() throws Exception {
    StackDnsClient dns = client(Duration.ofSeconds(1), 0, new InetSocketAddress("127.0.0.1", 9));
    for (String bad : List.of("a..b", "", "x".repeat(64) + ".test", "bad name.test", "a/b")) {
      UnknownHostException e = assertThrows(UnknownHostException.class, () -> dns.resolveIpv4(bad));
      assertThat(e).hasMessageThat().startsWith("not a valid host name");
    }
    assertThat(StackDnsClient.configured(stack, List.of("192.0.2.1", "192.0.2.2:5353", "[2001:db8::1]:53"),
        Duration.ofSeconds(1), 2).toString()).isNotEmpty();
    for (String bad : List.of("ns.example.com", "192.0.2.1:99999", "[::1", "1.2.3")) {
      UsageException e = assertThrows(UsageException.class,
          () -> StackDnsClient.configured(stack, List.of(bad), Duration.ofSeconds(1), 2));
      assertThat(e).hasMessageThat().startsWith("--nameservers: '" + bad + "'");
    }
    assertThrows(UsageException.class, () -> StackDnsClient.configured(stack, List.of(), Duration.ZERO, 2));
    assertThrows(UsageException.class, () -> StackDnsClient.configured(stack, List.of(), Duration.ofSeconds(1), -1));
  }

  @Test
  void nameServersComeFromResolvConfWhenNoneIsGiven() throws Exception {
    Path conf = dir.resolve("resolv.conf");
    Files.writeString(conf, "# a comment\nsearch example.org\nnameserver 192.0.2.53\nnameserver fe80::1%eth0\n"
        + "nameserver not-an-address\noptions ndots:2\n");
    assertThat(StackDnsClient.resolvConf(conf))
        .containsExactly(new InetSocketAddress("192.0.2.53", 53), new InetSocketAddress("fe80::1", 53)).inOrder();
    assertThat(StackDnsClient.resolvConf(dir.resolve("missing"))).isEmpty();
  }
}
