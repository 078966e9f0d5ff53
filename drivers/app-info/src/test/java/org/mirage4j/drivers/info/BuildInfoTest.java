package org.mirage4j.drivers.info;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.AppInfo;

class BuildInfoTest {

  @TempDir Path dir;

  private ClassLoader with(String record) throws IOException {
    Path file = dir.resolve(BuildInfo.RESOURCE);
    Files.createDirectories(file.getParent());
    Files.writeString(file, record);
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
  }

  @Test
  void readsNameVersionAndLibrariesInOrder() throws Exception {
    BuildInfo info = new BuildInfo(with("name\tlottery\nversion\t1.2.0\n"
        + "library\torg.mirage4j:mirage4j-driver-block\t0.1.0\nlibrary\tlegacy\t\n"));
    info.connect();
    assertThat(info.name()).isEqualTo("lottery");
    assertThat(info.version()).isEqualTo("1.2.0");
    assertThat(info.libraries()).containsExactly(
        new AppInfo.Library("org.mirage4j:mirage4j-driver-block", "0.1.0"),
        new AppInfo.Library("legacy", "")).inOrder();
    assertThat(info.libraries().get(1).toString()).isEqualTo("legacy");
  }

  @Test
  void aMissingOrDamagedRecordIsAConnectError() throws Exception {
    IOException missing = assertThrows(IOException.class,
        () -> new BuildInfo(new URLClassLoader(new URL[0], null)).connect());
    assertThat(missing).hasMessageThat().contains("missing resource META-INF/mirage/app-info.tsv");
    IOException bad = assertThrows(IOException.class,
        () -> new BuildInfo(with("name\tx\nversion\t1\nlibrary only\n")).connect());
    assertThat(bad).hasMessageThat()
        .isEqualTo("META-INF/mirage/app-info.tsv:3: not a name, version or library line");
    assertThrows(IllegalStateException.class, () -> new BuildInfo().name());
  }
}
