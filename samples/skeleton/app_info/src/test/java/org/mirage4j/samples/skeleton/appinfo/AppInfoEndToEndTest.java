package org.mirage4j.samples.skeleton.appinfo;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

/** As the original: {@code libraries:}, then the libraries of the build, one per line, sorted. */
class AppInfoEndToEndTest {

  @Test
  void printsTheLibrariesOfTheBuildSorted(@TempDir Path dir) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir)) {
      assertThat(p.awaitExit()).isEqualTo(0);
      List<String> out = p.stdout();
      assertThat(out.get(0)).isEqualTo("libraries:");
      List<String> libraries = out.subList(1, out.size());
      assertThat(libraries).contains("  - org.mirage4j:mirage4j-driver-app-info 0.1.0-SNAPSHOT");
      assertThat(libraries).contains("  - org.mirage4j:mirage4j-runtime-api 0.1.0-SNAPSHOT");
      assertThat(libraries).isInStrictOrder();
      // recorded at build time: the record in the jar is the one the generator wrote
      String record = Files.readString(Path.of("target/generated-resources/mirage/META-INF/mirage/app-info.tsv"));
      assertThat(record).startsWith("name\tapp_info\nversion\t0.1.0-SNAPSHOT\n");
      assertThat(record.lines().filter(l -> l.startsWith("library\t")).count()).isEqualTo(libraries.size());
    }
  }
}
