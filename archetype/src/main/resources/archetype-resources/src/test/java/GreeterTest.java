package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

/** The generated unikernel, run as a process with its options, says what it is told. */
class GreeterTest {

  @Test
  void saysTheGreetingAsOftenAsAsked(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--greeting=bonjour", "--times=2")) {
      assertEquals(0, p.awaitExit());
      assertEquals(List.of("bonjour", "bonjour"), p.stdout());
    }
  }
}
