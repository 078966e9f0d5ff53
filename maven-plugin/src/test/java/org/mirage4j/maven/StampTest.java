package org.mirage4j.maven;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StampTest {

  @TempDir Path dir;

  @Test
  void digestFollowsContentsParametersAndClassPath() throws Exception {
    Path config = dir.resolve("config.mirage");
    Path imported = dir.resolve("lib.mirage");
    Files.writeString(config, "unikernel a\n");
    Files.writeString(imported, "key k : int = 1\n");
    Path jar = dir.resolve("dep.jar");
    Files.writeString(jar, "not really a jar");
    List<Path> inputs = List.of(config, imported);
    Map<String, String> params = Map.of("target", "unix");
    String base = Stamp.digest(inputs, params, List.of(jar));

    assertThat(Stamp.digest(inputs, params, List.of(jar))).isEqualTo(base);
    assertThat(Stamp.digest(inputs, Map.of("target", "xen"), List.of(jar))).isNotEqualTo(base);
    assertThat(Stamp.digest(inputs, params, List.of())).isNotEqualTo(base);

    Files.writeString(imported, "key k : int = 2\n");
    assertThat(Stamp.digest(inputs, params, List.of(jar))).isNotEqualTo(base);
    Files.writeString(imported, "key k : int = 1\n");
    assertThat(Stamp.digest(inputs, params, List.of(jar))).isEqualTo(base);

    Files.delete(imported);
    assertThat(Stamp.digest(inputs, params, List.of(jar))).isNotEqualTo(base);
  }

  @Test
  void roundTripAndOutputs() throws Exception {
    Path out = dir.resolve("Out.java");
    Files.writeString(out, "class Out {}");
    Path file = dir.resolve("mirage/generate.stamp");
    new Stamp("abc", List.of(dir.resolve("config.mirage")), List.of(out)).write(file);
    Stamp read = Stamp.read(file);
    assertThat(read.digest()).isEqualTo("abc");
    assertThat(read.inputs()).containsExactly(dir.resolve("config.mirage"));
    assertThat(read.outputsExist()).isTrue();
    Files.delete(out);
    assertThat(read.outputsExist()).isFalse();
    Stamp.delete(file);
    assertThat(Stamp.read(file)).isNull();
  }
}
