package org.mirage4j.samples.slides;

import static com.google.common.truth.Truth.assertThat;

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
      // from loopback (net=socket), or through a TAP device in a namespace (net=direct)
      for (String path : new String[] {
          "/", "/reveal.js/reveal.js", "/reveal.js/plugin/notes.js", "/css/mirage4j.css", "/graph/slides-unix.svg"}) {
        assertThat(p.get(port, path).status()).isEqualTo(200);
      }
      UnikernelProcess.Response index = p.get(port, "/");
      assertThat(index.text()).contains("MirageOS's idea, done for Java");
      String etag = index.header("etag").orElseThrow();
      assertThat(p.get(port, "/", "If-None-Match", etag).status()).isEqualTo(304);
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
