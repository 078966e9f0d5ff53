package org.mirage4j.generator;

import static com.google.common.truth.Truth.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppInfoWriterTest {

  @Test
  void recordsNameVersionAndSortedLibrariesDeterministically() {
    GeneratorRequest request = GeneratorRequest.of(TestModels.hello("unix"), Path.of("p"), Path.of("t"))
        .withVersion("1.2\t0")
        .withLibraries(List.of("org.z:z\t2", "org.a:a\t1", "org.z:z\t2", "plain\t"));
    OutputFile file = AppInfoWriter.write(request);
    assertThat(file.root()).isEqualTo(OutputFile.Root.RESOURCES);
    assertThat(file.path()).isEqualTo("META-INF/mirage/app-info.tsv");
    assertThat(new String(file.content(), StandardCharsets.UTF_8)).isEqualTo(
        "name\thello\nversion\t1.2 0\nlibrary\torg.a:a\t1\nlibrary\torg.z:z\t2\nlibrary\tplain\t\n");
    GeneratorRequest again = request.withLibraries(List.of("plain\t", "org.z:z\t2", "org.a:a\t1"));
    assertThat(AppInfoWriter.write(again).content()).isEqualTo(file.content());
  }
}
