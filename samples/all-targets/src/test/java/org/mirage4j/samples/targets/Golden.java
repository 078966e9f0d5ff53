package org.mirage4j.samples.targets;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Golden files of what the generator writes for the samples: every generated file except the
 * crunched copies of the sample's own files (the index that lists them, with sizes and digests, is
 * compared). A directory the sample's build assembles below {@code target/} (the slides' deck:
 * reveal.js, the talk and its graphs) is the build's data, not the generator's: its files and index
 * are left out here, and the sample's own tests check them. Re-record with {@code
 * -Dmirage.golden.record=true}.
 */
final class Golden {

  /** Where the crunched copy of a directory assembled below the sample's {@code target/} goes. */
  private static final String BUILT = "META-INF/mirage/crunch/target/";

  private Golden() {}

  static Path root() {
    return Path.of(System.getProperty("mirage.samplesDir")).resolve("all-targets/src/test/golden").normalize();
  }

  static void compare(Path out, String name) throws IOException {
    Path golden = root().resolve(name);
    List<String> produced = files(out);
    if (Boolean.getBoolean("mirage.golden.record")) {
      if (Files.exists(golden)) {
        try (Stream<Path> old = Files.walk(golden)) {
          for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      for (String f : produced) {
        Path target = golden.resolve(f);
        Files.createDirectories(target.getParent());
        Files.writeString(target, text(out, f), StandardCharsets.UTF_8);
      }
      return;
    }
    assertWithMessage("golden files of %s (re-record with -Dmirage.golden.record=true)", name)
        .that(produced)
        .containsExactlyElementsIn(Files.exists(golden) ? files(golden) : List.of());
    for (String f : produced) {
      assertWithMessage("%s/%s differs from the golden file (re-record with -Dmirage.golden.record=true)", name, f)
          .that(text(out, f))
          .isEqualTo(Files.readString(golden.resolve(f), StandardCharsets.UTF_8));
    }
  }

  /**
   * A generated file's text; the libvirt domain names files by absolute path, shown with the build
   * directory as {@code /BUILD}.
   */
  private static String text(Path out, String f) throws IOException {
    String text = Files.readString(out.resolve(f), StandardCharsets.UTF_8);
    if (f.endsWith(".libvirt.xml")) {
      return text.replace(out.toAbsolutePath().normalize().toString(), "/BUILD");
    }
    if (f.endsWith("generated-files.tsv")) {
      // and so does its digest in the generator's record, which also lists the build's own data
      return text.replaceAll("(\\.libvirt\\.xml\t)[0-9a-f]{64}", "$1(digest of the domain in this build directory)")
          .replaceAll("(?m)^RESOURCES\t" + BUILT + "[^\n]*\n", "");
    }
    return text;
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(f -> !f.contains("/crunch/") || f.endsWith("/index.tsv"))
          .filter(f -> !f.contains("/" + BUILT))
          .filter(f -> !f.startsWith("classes/"))
          .sorted()
          .toList();
    }
  }
}
