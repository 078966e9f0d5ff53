package org.mirage4j.drivers.console;

import static com.google.common.truth.Truth.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StdoutConsoleTest {

  @Test
  void logWritesLineWithNewline() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StdoutConsole console = new StdoutConsole(out, new ByteArrayInputStream(new byte[0]));
    console.connect();
    console.log("hello");
    console.log("wörld");
    console.close();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello\nwörld\n");
  }

  @Test
  void concurrentLinesNeverInterleave() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // A PrintStream without autoflush writes byte by byte into the sink; only the lock keeps lines whole.
    PrintStream out = new PrintStream(bytes, false, StandardCharsets.UTF_8);
    StdoutConsole console = new StdoutConsole(out, new ByteArrayInputStream(new byte[0]));
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String line = String.valueOf((char) ('a' + t)).repeat(200);
      Thread thread = new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          console.log(line);
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n", -1);
    assertThat(lines).hasLength(8 * 200 + 1);
    assertThat(lines[lines.length - 1]).isEmpty();
    for (int i = 0; i < lines.length - 1; i++) {
      assertThat(lines[i]).hasLength(200);
      assertThat(lines[i].chars().distinct().count()).isEqualTo(1);
    }
  }

  @Test
  void writeCopiesRemainingBytes() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StdoutConsole console = new StdoutConsole(out, new ByteArrayInputStream(new byte[0]));
    ByteBuffer data = ByteBuffer.wrap("xxabc".getBytes(StandardCharsets.US_ASCII));
    data.position(2);
    console.write(data);
    assertThat(data.hasRemaining()).isFalse();
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
  }

  @Test
  void readReturnsInputThenEndOfInput() throws Exception {
    StdoutConsole console =
        new StdoutConsole(
            new ByteArrayOutputStream(),
            new ByteArrayInputStream("input".getBytes(StandardCharsets.US_ASCII)));
    ByteBuffer heap = ByteBuffer.allocate(3);
    assertThat(console.read(heap)).isEqualTo(3);
    ByteBuffer direct = ByteBuffer.allocateDirect(10);
    assertThat(console.read(direct)).isEqualTo(2);
    direct.flip();
    byte[] rest = new byte[direct.remaining()];
    direct.get(rest);
    assertThat(new String(heap.array(), StandardCharsets.US_ASCII)).isEqualTo("inp");
    assertThat(new String(rest, StandardCharsets.US_ASCII)).isEqualTo("ut");
    assertThat(console.read(ByteBuffer.allocate(4))).isEqualTo(-1);
  }

  @Test
  void defaultConstructorUsesSystemOut() throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      StdoutConsole console = new StdoutConsole();
      console.connect();
      console.log("to stdout");
      console.close();
    } finally {
      System.setOut(saved);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("to stdout\n");
  }
}
