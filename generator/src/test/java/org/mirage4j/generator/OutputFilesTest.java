package org.mirage4j.generator;

import org.mirage4j.model.Diagnostic;
import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.model.UnikernelModel;

/** The rule that the generator replaces or deletes only what it wrote. */
class OutputFilesTest {

  @TempDir Path tmp;

  private GeneratorRequest request(UnikernelModel model) {
    return GeneratorRequest.of(model, Support.projectDir("storage"), tmp.resolve("target"));
  }

  private static Path wiring(GeneratorRequest r) {
    return r.javaOutput().resolve("org/mirage4j/generated/" + JavaNames.wiringClassName(r.model().name()) + ".java");
  }

  @Test
  void aUsersFileOfTheSameNameIsLeftAloneAndReported() throws Exception {
    GeneratorRequest r = request(TestModels.hello("xen"));
    Path mine = wiring(r);
    Files.createDirectories(mine.getParent());
    Files.writeString(mine, "// my own hand-written wiring\nclass HelloUnikernel {}\n");
    Path myXl = r.artifactsDir().resolve("hello.xl");
    Files.createDirectories(myXl.getParent());
    Files.writeString(myXl, "# tuned by hand\nname = 'hello'\n");

    GenerationResult result = MirageGenerator.generate(r);

    assertThat(Files.readString(mine)).isEqualTo("// my own hand-written wiring\nclass HelloUnikernel {}\n");
    assertThat(Files.readString(myXl)).isEqualTo("# tuned by hand\nname = 'hello'\n");
    assertThat(result.hasErrors()).isTrue();
    assertThat(result.diagnostics().stream().map(Diagnostic::toString).toList()).containsAtLeast(
        mine + ": error: not replaced: this file was not written by the generator (it has no \""
            + Markers.TOKEN + "\" header); move it away to let the generator write it",
        myXl + ": error: not replaced: this file was not written by the generator (it has no \""
            + Markers.TOKEN + "\" header); move it away to let the generator write it");
    // the other files were written
    assertThat(result.written()).contains(r.artifactsDir().resolve("hello.xl.in"));
    assertThat(result.written()).doesNotContain(mine);
  }

  @Test
  void generatedFilesAreReplacedEvenWhenEdited() throws Exception {
    GeneratorRequest r = request(TestModels.hello("unix"));
    MirageGenerator.generate(r);
    Path w = wiring(r);
    String original = Files.readString(w);
    Files.writeString(w, original.replace("return unikernel.run();", "return 0;"));
    GenerationResult again = MirageGenerator.generate(r);
    assertThat(again.diagnostics()).isEmpty();
    assertThat(Files.readString(w)).isEqualTo(original);
  }

  @Test
  void unchangedFilesAreNotRewritten() throws Exception {
    GeneratorRequest r = request(TestModels.storage("unix"));
    MirageGenerator.generate(r);
    FileTime old = FileTime.fromMillis(1_000_000_000L);
    Path w = wiring(r);
    Path index = r.resourcesOutput().resolve("META-INF/mirage/crunch/htdocs/index.tsv");
    Files.setLastModifiedTime(w, old);
    Files.setLastModifiedTime(index, old);
    GenerationResult again = MirageGenerator.generate(r);
    assertThat(again.diagnostics()).isEmpty();
    assertThat(again.written()).contains(w);
    assertThat(Files.getLastModifiedTime(w)).isEqualTo(old);
    assertThat(Files.getLastModifiedTime(index)).isEqualTo(old);
  }

  @Test
  void staleGeneratedFilesAreDeletedButNotTheUsers() throws Exception {
    // a first run for unikernel "store" on xen, with a crunched directory
    GeneratorRequest first = request(TestModels.storage("xen"));
    assertThat(MirageGenerator.generate(first).diagnostics()).isEmpty();
    Path oldWiring = wiring(first);
    Path oldXl = first.artifactsDir().resolve("store.xl");
    Path crunched = first.resourcesOutput().resolve("META-INF/mirage/crunch/htdocs/files/index.html");
    assertThat(Files.exists(crunched)).isTrue();
    // the user's own files in the same directories
    Path userJava = first.javaOutput().resolve("org/example/Mine.java");
    Files.createDirectories(userJava.getParent());
    Files.writeString(userJava, "package org.example; class Mine {}\n");
    Path userResource = first.resourcesOutput().resolve("META-INF/mirage/crunch/htdocs/files/mine.txt");
    Files.writeString(userResource, "mine\n");

    // the configuration now names another unikernel, without crunch
    GeneratorRequest second = request(TestModels.hello("xen"));
    GenerationResult result = MirageGenerator.generate(second);

    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.deleted()).containsAtLeast(oldWiring, oldXl, crunched);
    assertThat(Files.exists(oldWiring)).isFalse();
    assertThat(Files.exists(oldXl)).isFalse();
    assertThat(Files.exists(crunched)).isFalse();
    assertThat(Files.exists(first.resourcesOutput().resolve("META-INF/mirage/crunch/htdocs/index.tsv"))).isFalse();
    assertThat(Files.readString(userJava)).isEqualTo("package org.example; class Mine {}\n");
    assertThat(Files.readString(userResource)).isEqualTo("mine\n");
    assertThat(Files.exists(wiring(second))).isTrue();
    // empty directories left behind by deleted files are removed
    assertThat(Files.exists(first.resourcesOutput().resolve("META-INF/mirage/crunch/htdocs/files/css"))).isFalse();
  }

  @Test
  void aCrunchedFileChangedByHandIsNotDeleted() throws Exception {
    GeneratorRequest first = request(TestModels.storage("unix"));
    MirageGenerator.generate(first);
    Path crunched = first.resourcesOutput().resolve("META-INF/mirage/crunch/htdocs/files/css/deck.css");
    Files.writeString(crunched, "edited\n");
    GenerationResult result = MirageGenerator.generate(request(TestModels.hello("unix")));
    assertThat(Files.readString(crunched)).isEqualTo("edited\n");
    assertThat(result.deleted()).doesNotContain(crunched);
    assertThat(result.diagnostics().stream().map(Diagnostic::message).toList())
        .contains("left alone: generated by an earlier run but changed since; delete it if unused");
  }

  @Test
  void anotherTargetsArtifactsSurviveATargetSwitch() throws Exception {
    GeneratorRequest xen = request(TestModels.hello("xen"));
    MirageGenerator.generate(xen);
    GeneratorRequest unix = request(TestModels.hello("unix"));
    GenerationResult result = MirageGenerator.generate(unix);
    assertThat(result.deleted()).isEmpty();
    assertThat(Files.exists(xen.artifactsDir().resolve("hello.xl"))).isTrue();
    assertThat(Files.exists(unix.artifactsDir().resolve("hello"))).isTrue();
  }

  @Test
  void everyTextOutputCarriesTheMarker() {
    for (String target : TestModels.TARGETS) {
      Diagnostics d = new Diagnostics();
      List<OutputFile> files = MirageGenerator.plan(request(TestModels.storage(target)), d);
      assertThat(d.all()).isEmpty();
      for (OutputFile f : files) {
        assertThat(f.marked()).isEqualTo(f.root() != OutputFile.Root.RESOURCES);
        assertThat(Markers.isMarked(f.content())).isEqualTo(f.marked());
      }
    }
  }

  @Test
  void nothingIsWrittenWhenTheModelHasErrors() throws Exception {
    UnikernelModel bad = new UnikernelModel("bad name", TestModels.platform("unix"), "config.mirage", List.of(),
        List.of(), List.of(), List.of(), List.of(), TestModels.at(1, 1));
    GenerationResult result = MirageGenerator.generate(request(bad));
    assertThat(result.written()).isEmpty();
    assertThat(result.diagnostics().stream().map(Diagnostic::toString).toList()).containsExactly(
        "config.mirage:1:1: error: unikernel name 'bad name' must be letters, digits and - _ . only: it names"
            + " files and the guest");
    assertThat(Files.exists(tmp.resolve("target"))).isFalse();
  }
}
