package org.mirage4j.dsl.ide;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.eclipse.lsp4j.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.dsl.ide.server.ProjectClasspath;

/** Java types resolve against the class path the build wrote, not the server's own. */
class ProjectClasspathTest {

  @TempDir Path root;

  @Test
  void readsEntriesOfTheFolderAndItsModules() throws Exception {
    Files.createDirectories(root.resolve("target/mirage"));
    Files.writeString(
        root.resolve(ProjectClasspath.FILE),
        "# written by mirage:generate\n\ntarget/classes\n/opt/lib/a.jar\n  lib/b.jar  \n");
    Files.createDirectories(root.resolve("app/target/mirage"));
    Files.writeString(root.resolve("app/" + ProjectClasspath.FILE), "target/classes\n/opt/lib/a.jar\n");
    // not searched: build output, hidden folders
    Files.createDirectories(root.resolve(".git/x/target/mirage"));
    Files.writeString(root.resolve(".git/x/" + ProjectClasspath.FILE), "/nope.jar\n");

    ProjectClasspath cp = ProjectClasspath.of(root);
    assertThat(cp.files()).containsExactly(root.resolve(ProjectClasspath.FILE), root.resolve("app/" + ProjectClasspath.FILE)).inOrder();
    assertThat(cp.entries())
        .containsExactly(
            root.resolve("target/classes"),
            Path.of("/opt/lib/a.jar"),
            root.resolve("lib/b.jar"),
            root.resolve("app/target/classes"))
        .inOrder();
    try (var loader = cp.classLoader()) {
      assertThat(loader.getParent()).isEqualTo(ClassLoader.getPlatformClassLoader());
    }
  }

  @Test
  void noFileNoEntries() {
    assertThat(ProjectClasspath.of(root).entries()).isEmpty();
  }

  static final String CONFIG =
      "driver fake() : console = com.example.Fake on unix\n"
          + "device c = fake\n"
          + "unikernel u\n"
          + "job com.example.App(c)\n";

  @Test
  void driverClassesAreCheckedAgainstTheProjectClassPath() throws Exception {
    Path classes = root.resolve("target/classes");
    Path src = root.resolve("src/main/java/com/example/Fake.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, "package com.example; public class Fake { public Fake() {} }\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Files.createDirectories(classes);
    assertThat(javac.run(null, null, null, "-d", classes.toString(), src.toString())).isEqualTo(0);
    Path api = Path.of(org.mirage4j.api.Console.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Files.createDirectories(root.resolve("target/mirage"));
    Files.writeString(root.resolve(ProjectClasspath.FILE), "target/classes\n" + api + "\n");

    try (LspSession s = LspSession.start(root, Map.of("config.mirage", CONFIG))) {
      s.open("config.mirage");
      List<Diagnostic> first = s.awaitDiagnostics("config.mirage", d -> true);
      // the class resolves: its hover names it
      var h = LspSession.get(s.server.getTextDocumentService().hover(new org.eclipse.lsp4j.HoverParams(s.doc("config.mirage"), new org.eclipse.lsp4j.Position(0, 40))));
      assertWithMessage("hover on the class; diagnostics %s", first).that(h.getContents().getRight().getValue()).contains("Java: com.example.Fake");
      List<Diagnostic> ds =
          s.awaitDiagnostics("config.mirage", d -> d.stream().anyMatch(x -> LspSession.msg(x).contains("com.example.Fake")));
      assertThat(ds.stream().map(LspSession::msg).toList())
          .contains("class com.example.Fake of driver 'fake' does not implement org.mirage4j.api.Console (type 'console')");
    }
  }

  @Test
  void withoutAClassPathJavaClassesAreNotChecked(@TempDir Path other) throws Exception {
    try (LspSession s = LspSession.start(other, Map.of("config.mirage", CONFIG))) {
      s.open("config.mirage");
      List<Diagnostic> ds = s.awaitDiagnostics("config.mirage", d -> true);
      assertThat(ds.stream().map(LspSession::msg).filter(m -> m.contains("com.example.Fake")).toList()).isEmpty();
    }
  }
}
