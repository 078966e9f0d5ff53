package org.mirage4j.samples.kvapi;

import static com.google.common.truth.Truth.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

class KvApiEndToEndTest {

  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HttpResponse<String> send(String method, URI uri, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri);
    b.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    return client.send(b.build(), BodyHandlers.ofString());
  }

  @Test
  void putGetDeleteAndTheirErrors(@TempDir Path dir) throws Exception {
    int port = UnikernelProcess.freePort();
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--port=" + port, "--data=store", "--http-max-body=65536")) {
      p.awaitStdout(l -> l.contains("kv-api: PUT, GET and DELETE"));
      String base = "http://127.0.0.1:" + port;
      URI greeting = URI.create(base + "/kv/greeting");

      HttpResponse<String> created = send("PUT", greeting, "hello");
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(created.headers().firstValue("location")).hasValue("/kv/greeting");
      HttpResponse<String> got = send("GET", greeting, null);
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo("hello");
      assertThat(Files.readString(dir.resolve("store/greeting"))).isEqualTo("hello"); // on disk
      assertThat(send("PUT", greeting, "hello again").statusCode()).isEqualTo(204);
      HttpResponse<String> again = send("GET", greeting, null);
      assertThat(again.body()).isEqualTo("hello again");
      String etag = again.headers().firstValue("etag").orElseThrow();
      HttpResponse<String> same =
          client.send(HttpRequest.newBuilder(greeting).header("If-None-Match", etag).build(), BodyHandlers.ofString());
      assertThat(same.statusCode()).isEqualTo(304);

      assertThat(send("PUT", URI.create(base + "/kv/dir/a"), "1").statusCode()).isEqualTo(201);
      assertThat(send("PUT", URI.create(base + "/kv/dir/b%20c"), "2").statusCode()).isEqualTo(201);
      HttpResponse<String> listing = send("GET", URI.create(base + "/kv/dir/"), null);
      assertThat(listing.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(listing.body())
          .isEqualTo("[{\"name\":\"a\",\"kind\":\"value\"},{\"name\":\"b c\",\"kind\":\"value\"}]\n");
      assertThat(send("PUT", URI.create(base + "/kv/dir"), "x").statusCode()).isEqualTo(409);

      assertThat(send("DELETE", greeting, null).statusCode()).isEqualTo(204);
      assertThat(send("GET", greeting, null).statusCode()).isEqualTo(404);
      HttpResponse<String> gone = send("DELETE", greeting, null);
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(gone.body()).contains("no value at 'greeting'");

      HttpResponse<String> post = send("POST", greeting, "x");
      assertThat(post.statusCode()).isEqualTo(405);
      assertThat(post.headers().firstValue("allow")).hasValue("GET, PUT, DELETE, HEAD, OPTIONS");
      assertThat(send("PUT", URI.create(base + "/kv/"), "x").statusCode()).isEqualTo(400);
      assertThat(send("GET", URI.create(base + "/nothing"), null).statusCode()).isEqualTo(404);
      assertThat(send("PUT", greeting, "x".repeat(70_000)).statusCode()).isEqualTo(413);
      assertThat(send("GET", URI.create(base + "/health"), null).body()).isEqualTo("ok\n");
      p.stop();
    }
  }

  @Test
  void sigtermLetsTheResponseInFlightFinishBeforeTheDevicesClose(@TempDir Path dir) throws Exception {
    int port = UnikernelProcess.freePort();
    byte[] value = new byte[6 * 1024 * 1024];
    new Random(13).nextBytes(value);
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--port=" + port, "--http-max-body=8388608")) {
      p.awaitStdout(l -> l.contains("kv-api: PUT, GET and DELETE"));
      URI big = URI.create("http://127.0.0.1:" + port + "/kv/big");
      HttpResponse<String> put =
          client.send(HttpRequest.newBuilder(big).PUT(BodyPublishers.ofByteArray(value)).build(), BodyHandlers.ofString());
      assertThat(put.statusCode()).isEqualTo(201);

      try (Socket s = new Socket()) {
        s.setReceiveBufferSize(16 * 1024); // so the response cannot all sit in buffers
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.setSoTimeout(30_000); // safety net only
        OutputStream out = s.getOutputStream();
        out.write("GET /kv/big HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        String head = readHead(in);
        assertThat(head).startsWith("HTTP/1.1 200 OK");
        assertThat(head).contains("Content-Length: " + value.length);
        byte[] first = in.readNBytes(64 * 1024);

        // SIGTERM while most of the response is still to be sent; a reader goes on reading it,
        // slowly (the drain must wait for it), while this thread sees the listener close
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        rest.write(first);
        Thread reader = new Thread(() -> {
          byte[] buffer = new byte[8192];
          int n;
          try {
            while ((n = in.read(buffer)) > 0) {
              synchronized (rest) {
                rest.write(buffer, 0, n);
                if (rest.size() % (64 * 1024) < n) {
                  Thread.sleep(1);
                }
              }
            }
          } catch (IOException | InterruptedException e) {
            // the body's length, checked below, tells
          }
        }, "slow-reader");
        p.terminate();
        reader.start();
        // the server stops listening (the deadline is a safety net for a loaded machine, where the
        // JVM's shutdown may take seconds to begin)
        boolean refused = false;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (!refused && System.nanoTime() < deadline) {
          try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            Thread.sleep(20);
          } catch (ConnectException e) {
            refused = true;
          } catch (java.net.SocketException e) {
            // a probe queued in the backlog as the listener closed is reset: it stopped listening too
            refused = true;
          }
        }
        assertThat(refused).isTrue();
        reader.join(120_000);
        byte[] body;
        synchronized (rest) {
          body = rest.toByteArray();
        }
        assertThat(body.length).isEqualTo(value.length);
        assertThat(Arrays.equals(sha256(body), sha256(value))).isTrue();
      }
      p.awaitExit();
      // the one line a SIGTERM prints, and nothing else (no error, no stack trace)
      assertThat(p.stderr()).hasSize(1);
      assertThat(p.stderr().get(0)).startsWith("kv_api: stopping: ");
    }
  }

  private static String readHead(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new java.io.EOFException("no response head");
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
