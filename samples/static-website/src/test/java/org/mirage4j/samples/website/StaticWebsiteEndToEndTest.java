package org.mirage4j.samples.website;

import static com.google.common.truth.Truth.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

class StaticWebsiteEndToEndTest {

  @Test
  void servesHtdocs(@TempDir Path dir) throws Exception {
    int port = UnikernelProcess.freePort();
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--port", Integer.toString(port))) {
      p.awaitStdout(l -> l.contains("serving htdocs"));
      HttpClient client = HttpClient.newHttpClient();
      HttpResponse<String> index =
          client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.body()).contains("Hello from a mirage4j unikernel");
      HttpResponse<String> css =
          client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/style.css")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(css.headers().firstValue("content-type").orElse("")).startsWith("text/css");
      HttpResponse<String> missing =
          client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nope.html")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
      p.stop();
    }
  }

  @Test
  void badPortExits64WithOneLine(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--port=abc")) {
      assertThat(p.awaitExit()).isEqualTo(64);
      assertThat(p.stderr()).hasSize(1);
    }
  }
}
