package org.mirage4j.samples.slides;

import static com.google.common.truth.Truth.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

class SlidesEndToEndTest {

  @Test
  void servesTheDeck(@TempDir Path dir) throws Exception {
    int port = UnikernelProcess.freePort();
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--port=" + port)) {
      p.awaitStdout(l -> l.contains("http://localhost:" + port + "/"));
      HttpClient client = HttpClient.newHttpClient();
      for (String path : new String[] {"/", "/css/deck.css", "/js/deck.js"}) {
        HttpResponse<String> r =
            client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      HttpResponse<String> index =
          client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(index.body()).contains("MirageOS's idea, done for Java");
      String etag = index.headers().firstValue("etag").orElseThrow();
      HttpResponse<String> again =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).header("If-None-Match", etag).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(again.statusCode()).isEqualTo(304);
      p.stop();
    }
  }

  @Test
  void badPortExits64WithOneLine(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--port=abc")) {
      assertThat(p.awaitExit()).isEqualTo(64);
      assertThat(p.stderr()).hasSize(1);
      assertThat(p.stderr().get(0)).contains("--port");
    }
  }
}
