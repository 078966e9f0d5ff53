package org.mirage4j.drivers.http.direct;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.HttpClient;
import org.mirage4j.api.UdpSocket;
import org.mirage4j.api.http.HttpResponse;
import org.mirage4j.drivers.dns.StackDnsClient;
import org.mirage4j.drivers.http.StackHttpClient;
import org.mirage4j.drivers.http.StackHttpServer;

/**
 * The DNS and HTTP clients on the direct stack: a name server (a responder of the test's on the
 * server host's UDP) and an HTTP server on one host, the clients on the other.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClientsOverDirectStackTest {

  Wire wire;
  DirectHost serverHost;
  DirectHost clientHost;
  StackHttpServer http;
  UdpSocket nameServer;
  Thread serving;
  Thread answering;

  @BeforeEach
  void start() throws Exception {
    wire = new Wire();
    serverHost = new DirectHost(wire.a, "10.0.0.1/24");
    clientHost = new DirectHost(wire.b, "10.0.0.2/24");
    http = new StackHttpServer(serverHost.stack, 80);
    http.connect();
    serving = new Thread(() -> {
      try {
        http.serve(r -> HttpResponse.text(200, "over the direct stack: " + r.path()));
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    }, "serve");
    serving.setDaemon(true);
    serving.start();
    nameServer = serverHost.stack.udp().bind(53);
    answering = new Thread(this::answer, "name-server");
    answering.setDaemon(true);
    answering.start();
  }

  /** Answers every A query with 10.0.0.1 (the server host), TTL 60. */
  void answer() {
    ByteBuffer in = ByteBuffer.allocate(1500);
    while (true) {
      in.clear();
      InetSocketAddress from;
      try {
        from = nameServer.receive(in);
      } catch (IOException e) {
        return;
      }
      byte[] q = java.util.Arrays.copyOf(in.array(), in.position());
      int end = 12;
      while (q[end] != 0) {
        end += (q[end] & 0xff) + 1;
      }
      end += 5;
      ByteBuffer out = ByteBuffer.allocate(end + 16);
      out.put(q, 0, 2).put(new byte[] {(byte) 0x81, (byte) 0x80, 0, 1, 0, 1, 0, 0, 0, 0});
      out.put(q, 12, end - 12);
      out.put(new byte[] {(byte) 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 1});
      out.flip();
      try {
        nameServer.send(from, out);
      } catch (IOException e) {
        return;
      }
    }
  }

  @AfterEach
  void stop() throws Exception {
    http.close();
    nameServer.close();
    serving.join(20_000);
    clientHost.close();
    serverHost.close();
  }

  @Test
  void resolvesAndFetchesOverTheDirectStack() throws Exception {
    StackDnsClient dns = new StackDnsClient(
        clientHost.stack, List.of(new InetSocketAddress("10.0.0.1", 53)), Duration.ofSeconds(2), 2);
    dns.connect();
    StackHttpClient client = new StackHttpClient(clientHost.stack, dns, StackHttpClient.Limits.defaults(), null);
    try {
      assertThat(dns.resolveIpv4("www.direct.test")).containsExactly(InetAddress.getByName("10.0.0.1"));
      client.connect();
      HttpClient.Response r = client.get("http://www.direct.test/page");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.bodyText()).isEqualTo("over the direct stack: /page");
      assertThat(client.get("http://www.direct.test/again").bodyText()).isEqualTo("over the direct stack: /again");
    } finally {
      client.close();
      dns.close();
    }
  }
}
