package org.mirage4j.tooling;

import static com.google.common.truth.Truth.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibrariesTest {

  @TempDir Path dir;

  private Path jar(String name, String... poms) throws Exception {
    Path p = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(p); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (int i = 0; i < poms.length; i += 2) {
        String[] ga = poms[i].split(":");
        zip.putNextEntry(new ZipEntry("META-INF/maven/" + ga[0] + "/" + ga[1] + "/pom.properties"));
        zip.write(("groupId=" + ga[0] + "\nartifactId=" + ga[1] + "\nversion=" + poms[i + 1] + "\n")
            .getBytes(StandardCharsets.UTF_8));
      }
    }
    return p;
  }

  @Test
  void jarsAreNamedByTheirMavenCoordinatesSortedAndOnce() throws Exception {
    Path http = jar("mirage4j-driver-http-0.1.0.jar", "org.mirage4j:mirage4j-driver-http", "0.1.0");
    // a shaded jar holds several pom.properties: the one matching the file name is the jar's
    Path shaded = jar("guava-33.0.jar", "com.google.j2objc:j2objc", "3.0", "com.google.guava:guava", "33.0");
    Path plain = jar("legacy.jar");
    Path unmarked = jar("jna-5.19.1.jar");
    Path classes = Files.createDirectories(dir.resolve("classes"));
    assertThat(Libraries.of(List.of(shaded, plain, http, classes, unmarked, http)))
        .containsExactly("com.google.guava:guava\t33.0", "jna\t5.19.1", "legacy\t",
            "org.mirage4j:mirage4j-driver-http\t0.1.0")
        .inOrder();
    assertThat(Libraries.of(null)).isEmpty();
  }
}
