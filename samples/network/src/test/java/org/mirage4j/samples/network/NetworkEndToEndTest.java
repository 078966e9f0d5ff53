package org.mirage4j.samples.network;

import static com.google.common.truth.Truth.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

class NetworkEndToEndTest {

  @Test
  void echoes(@TempDir Path dir) throws Exception {
    // over loopback (net=socket), or through a TAP device in a namespace (net=direct)
    int port = UnikernelProcess.freePort();
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--port=" + port)) {
      p.awaitStdout(l -> l.contains("listening on port " + port));
      try (Socket s = p.connect(port)) {
        OutputStream out = s.getOutputStream();
        out.write("ping mirage4j\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = s.getInputStream();
        byte[] back = in.readNBytes("ping mirage4j\n".length());
        assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo("ping mirage4j\n");
      }
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
