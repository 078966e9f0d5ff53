package org.mirage4j.samples.kvro;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

class KvRoEndToEndTest {

  @Test
  void readsTheSecretAsTheStoreWasBuilt(@TempDir Path elsewhere) throws Exception {
    // crunch (the default): the data is in the build, so any working directory will do; direct
    // (-Dmirage.keys=kv_ro=direct) reads data/ at run time, relative to the working directory
    boolean direct = UnikernelProcess.configureKey("kv_ro").equals("direct");
    Path workDir = direct ? Path.of(System.getProperty("mirage.sampleDir", ".")) : elsewhere;
    try (UnikernelProcess p = UnikernelProcess.start(workDir)) {
      assertThat(p.awaitExit()).isEqualTo(0);
      assertThat(p.stdout().get(0)).startsWith("secret is foo, digest ");
    }
  }
}
