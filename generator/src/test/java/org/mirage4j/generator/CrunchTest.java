package org.mirage4j.generator;

import static com.google.common.truth.Truth.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;

/** Crunched directories: content, index, and paths that would leave the directory. */
class CrunchTest {

  @TempDir Path tmp;

  private static UnikernelModel crunching(String... dirs) {
    UnikernelModel m = TestModels.hello("unix");
    List<DeviceNode> devices = new java.util.ArrayList<>(m.devices());
    int line = 5;
    for (String dir : dirs) {
      devices.add(TestModels.device("kv" + line, "kv" + line, "kv_ro", "KvRo", "crunch",
          "org.mirage4j.drivers.kv.CrunchKvRo", TestModels.at(line++, 10), List.of(new HostResource.Embed(dir)),
          TestModels.lit("dir", new Value.StringValue(dir))));
    }
    return new UnikernelModel(m.name(), m.platform(), m.configFile(), List.of(),
        m.runtimeKeys(), devices, m.jobs(), m.artifacts(), m.location());
  }

  private Map<String, String> crunch(Path project, List<String> problems, String... dirs) {
    Diagnostics d = new Diagnostics();
    Map<String, String> out = new TreeMap<>();
    for (OutputFile f : new CrunchWriter(crunching(dirs), project, d).write()) {
      out.put(f.path(), new String(f.content(), StandardCharsets.UTF_8));
    }
    d.all().forEach(x -> problems.add(x.toString()));
    return out;
  }

  @Test
  void indexListsEveryFileSortedWithSizeAndDigest() throws Exception {
    Path project = tmp.resolve("p");
    Files.createDirectories(project.resolve("site/b"));
    Files.writeString(project.resolve("site/z.txt"), "zz");
    Files.writeString(project.resolve("site/b/a.txt"), "");
    Files.writeString(project.resolve("site/a.txt"), "hello\n");
    List<String> problems = new java.util.ArrayList<>();
    Map<String, String> out = crunch(project, problems, "./site//", "site");
    assertThat(problems).isEmpty();
    assertThat(out.keySet()).containsExactly(
        "META-INF/mirage/crunch/site/files/a.txt",
        "META-INF/mirage/crunch/site/files/b/a.txt",
        "META-INF/mirage/crunch/site/files/z.txt",
        "META-INF/mirage/crunch/site/index.tsv");
    assertThat(out.get("META-INF/mirage/crunch/site/index.tsv")).isEqualTo(
        "a.txt\t6\t5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03\n"
            + "b/a.txt\t0\te3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            + "z.txt\t2\t" + CrunchWriter.sha256("zz".getBytes(StandardCharsets.UTF_8)) + "\n");
    assertThat(out.get("META-INF/mirage/crunch/site/files/a.txt")).isEqualTo("hello\n");
  }

  @Test
  void pathsLeavingTheProjectAreErrors() throws Exception {
    Path project = tmp.resolve("p");
    Files.createDirectories(project);
    Files.createDirectories(tmp.resolve("outside"));
    List<String> problems = new java.util.ArrayList<>();
    Map<String, String> out = crunch(project, problems, "../outside", "/etc", "missing", "target/deck");
    assertThat(out).isEmpty();
    assertThat(problems).containsExactly(
        "config.mirage:5:10: error: crunch directory '../outside' must be a relative path inside the project, without '..'",
        "config.mirage:6:10: error: crunch directory '/etc' must be a relative path inside the project, without '..'",
        "config.mirage:7:10: error: crunch directory 'missing' does not exist in " + project
            + "; create it, or name a directory that exists",
        "config.mirage:8:10: error: crunch directory 'target/deck' does not exist in " + project
            + "; it is under target/, so the build makes it: build first (mvn generate-sources, or package), then run this again");
  }

  @Test
  void symlinksEscapingTheDirectoryAreErrorsAndNeverFollowed() throws Exception {
    Path project = tmp.resolve("p");
    Path site = project.resolve("site");
    Files.createDirectories(site.resolve("sub"));
    Files.writeString(site.resolve("index.html"), "<p>hi</p>\n");
    Path secret = tmp.resolve("secret.txt");
    Files.writeString(secret, "password\n");
    Files.createSymbolicLink(site.resolve("leak.txt"), secret);
    Files.createSymbolicLink(site.resolve("sub/up"), project);
    Files.createSymbolicLink(site.resolve("alias.html"), site.resolve("index.html"));
    Files.createSymbolicLink(project.resolve("linked"), tmp);
    List<String> problems = new java.util.ArrayList<>();
    Map<String, String> out = crunch(project, problems, "site", "linked");
    assertThat(problems).containsExactly(
        "config.mirage:5:10: error: crunch directory 'site': leak.txt is a link to "
            + secret.toRealPath() + ", outside the directory; it is not followed",
        "config.mirage:5:10: error: crunch directory 'site': sub/up is a link to "
            + project.toRealPath() + ", outside the directory; it is not followed",
        "config.mirage:6:10: error: crunch directory 'linked' leads outside the project (to "
            + tmp.toRealPath() + "); it is not embedded");
    assertThat(out.values()).doesNotContain("password\n");
    // a link that stays inside is embedded under its own name
    assertThat(out.get("META-INF/mirage/crunch/site/files/alias.html")).isEqualTo("<p>hi</p>\n");
  }

  @Test
  void crunchErrorsStopTheWholeRun() throws Exception {
    Path project = tmp.resolve("p");
    Files.createDirectories(project.resolve("site"));
    Files.createSymbolicLink(project.resolve("site/leak"), Path.of("/etc/hostname"));
    GenerationResult r = MirageGenerator.generate(
        GeneratorRequest.of(crunching("site"), project, tmp.resolve("target")));
    assertThat(r.hasErrors()).isTrue();
    assertThat(r.written()).isEmpty();
    assertThat(Files.exists(tmp.resolve("target"))).isFalse();
  }
}
