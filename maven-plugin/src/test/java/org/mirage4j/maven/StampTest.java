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
  void digestFollowsTheFilesOfEmbeddedDirectories() throws Exception {
    Path config = dir.resolve("config.mirage");
    Files.writeString(config, "unikernel a\n");
    Path deck = dir.resolve("deck");
    Files.createDirectories(deck.resolve("css"));
    Files.writeString(deck.resolve("index.html"), "<h1>one</h1>");
    Files.writeString(deck.resolve("css/a.css"), "h1 {}");
    List<Path> inputs = List.of(config);
    List<Path> dirs = List.of(deck);
    Map<String, String> params = Map.of("target", "unix");
    String base = Stamp.digest(inputs, dirs, params, List.of());

    assertThat(Stamp.digest(inputs, dirs, params, List.of())).isEqualTo(base);
    assertThat(Stamp.digest(inputs, List.of(), params, List.of())).isNotEqualTo(base);
    // a file changed, added, renamed or removed: regenerate
    Files.writeString(deck.resolve("index.html"), "<h1>two</h1>");
    assertThat(Stamp.digest(inputs, dirs, params, List.of())).isNotEqualTo(base);
    Files.writeString(deck.resolve("index.html"), "<h1>one</h1>");
    assertThat(Stamp.digest(inputs, dirs, params, List.of())).isEqualTo(base);
    Files.writeString(deck.resolve("css/b.css"), "");
    assertThat(Stamp.digest(inputs, dirs, params, List.of())).isNotEqualTo(base);
    Files.delete(deck.resolve("css/b.css"));
    assertThat(Stamp.digest(inputs, dirs, params, List.of())).isEqualTo(base);
    Files.move(deck.resolve("css/a.css"), deck.resolve("css/c.css"));
    assertThat(Stamp.digest(inputs, dirs, params, List.of())).isNotEqualTo(base);
    Files.move(deck.resolve("css/c.css"), deck.resolve("css/a.css"));
    // rewritten with the same bytes (as the deck's build does on every run): still up to date
    Files.writeString(deck.resolve("css/a.css"), "h1 {}");
    assertThat(Stamp.digest(inputs, dirs, params, List.of())).isEqualTo(base);
  }

  @Test
  void roundTripAndOutputs() throws Exception {
    Path out = dir.resolve("Out.java");
    Files.writeString(out, "class Out {}");
    Path file = dir.resolve("mirage/generate.stamp");
    new Stamp("abc", List.of(dir.resolve("config.mirage")), List.of(dir.resolve("deck")), List.of(out)).write(file);
    Stamp read = Stamp.read(file);
    assertThat(read.digest()).isEqualTo("abc");
    assertThat(read.inputs()).containsExactly(dir.resolve("config.mirage"));
    assertThat(read.dirs()).containsExactly(dir.resolve("deck"));
    assertThat(read.outputsExist()).isTrue();
    Files.delete(out);
    assertThat(read.outputsExist()).isFalse();
    Stamp.delete(file);
    assertThat(Stamp.read(file)).isNull();
  }

  @Test
  void aRecordedClassPathStandsOnlyForTheSameDependenciesAndNoSnapshotUnlessOffline() throws Exception {
    Path release = dir.resolve("console-1.0.jar");
    Path snapshot = dir.resolve("clock-0.1-SNAPSHOT.jar");
    String deps = Stamp.dependencies(List.of("dependency org.x:console:jar:1.0 scope=compile"));
    Path file = dir.resolve("target/mirage/generate.stamp");

    new Stamp("d", List.of(), List.of(), List.of(), new Stamp.ClassPath(deps, List.of(release), List.of()))
        .write(file);
    Stamp read = Stamp.read(file);
    assertThat(read.reusableClasspath(deps, false)).hasValue(List.of(release));
    assertThat(read.reusableClasspath(deps, true)).hasValue(List.of(release));
    // another version, scope or exclusion of a dependency: resolve again
    String other = Stamp.dependencies(List.of("dependency org.x:console:jar:1.1 scope=compile"));
    assertThat(other).isNotEqualTo(deps);
    assertThat(read.reusableClasspath(other, true)).isEmpty();

    // a SNAPSHOT entry may have been replaced in a repository: only an offline build trusts it
    new Stamp("d", List.of(), List.of(), List.of(),
        new Stamp.ClassPath(deps, List.of(release, snapshot), List.of(snapshot))).write(file);
    read = Stamp.read(file);
    assertThat(read.reusableClasspath(deps, false)).isEmpty();
    assertThat(read.reusableClasspath(deps, true)).hasValue(List.of(release, snapshot));

    // a stamp written without a class path (an older plugin) never stands for one
    new Stamp("d", List.of(), List.of(), List.of()).write(file);
    assertThat(Stamp.read(file).reusableClasspath(deps, true)).isEmpty();
  }
}
