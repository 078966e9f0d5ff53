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
  void jobConstructorsAreCheckedAgainstTheProjectClassPath() throws Exception {
    Path classes = root.resolve("target/classes");
    Path src = root.resolve("build-src/com/example/App.java");
    Files.createDirectories(src.getParent());
    Files.writeString(
        src,
        "package com.example;\n"
            + "public class App implements org.mirage4j.api.Job {\n"
            + "  public App(org.mirage4j.api.Console c) {}\n"
            + "  public void start() {}\n"
            + "}\n");
    Path notAJob = root.resolve("build-src/com/example/Plain.java");
    Files.writeString(notAJob, "package com.example; public class Plain { public Plain(org.mirage4j.api.Console c) {} }\n");
    Path api = Path.of(org.mirage4j.api.Console.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Files.createDirectories(classes);
    assertThat(javac.run(null, null, null, "-d", classes.toString(), "-cp", api.toString(), src.toString(), notAJob.toString()))
        .isEqualTo(0);
    Files.createDirectories(root.resolve("target/mirage"));
    Files.writeString(root.resolve(ProjectClasspath.FILE), "target/classes\n" + api + "\n");
    // a job class whose source is in the project but that is not compiled yet: javac's to check
    Path fresh = root.resolve("src/main/java/com/example/Fresh.java");
    Files.createDirectories(fresh.getParent());
    Files.writeString(fresh, "package com.example; public class Fresh {}\n");

    String config = "unikernel u targets unix\njob com.example.App(default_console, default_stack)\n";
    try (LspSession s = LspSession.start(root, Map.of("config.mirage", config))) {
      s.open("config.mirage");
      List<Diagnostic> ds =
          s.awaitDiagnostics("config.mirage", d -> d.stream().anyMatch(x -> LspSession.msg(x).contains("com.example.App")));
      Diagnostic d = ds.stream().filter(x -> LspSession.msg(x).contains("com.example.App")).findFirst().orElseThrow();
      // the build's own message, on the job's class name
      assertThat(LspSession.msg(d))
          .isEqualTo("job class com.example.App has no public constructor App(Console, Stack) for the arguments given"
              + " to it; it has: App(Console)");
      assertThat(d.getSeverity()).isEqualTo(org.eclipse.lsp4j.DiagnosticSeverity.Error);
      assertThat(LspSession.textOf(config, d.getRange())).isEqualTo("com.example.App");

      // fitting the constructor clears it, as the user types
      s.replaceAll("config.mirage", "unikernel u targets unix\njob com.example.App(default_console)\n");
      s.awaitDiagnostics("config.mirage", x -> x.stream().noneMatch(y -> LspSession.msg(y).contains("com.example")));

      // not a Job; a class that does not exist; one that is not compiled yet (not reported)
      s.replaceAll(
          "config.mirage",
          "unikernel u targets unix\njob com.example.Plain(default_console)\njob com.example.Nope()\n"
              + "job com.example.Fresh()\n");
      List<Diagnostic> more =
          s.awaitDiagnostics("config.mirage", x -> x.stream().anyMatch(y -> LspSession.msg(y).contains("Nope")));
      List<String> messages = more.stream().map(LspSession::msg).toList();
      assertThat(messages).contains("job class com.example.Plain does not implement org.mirage4j.api.Job");
      assertThat(messages)
          .contains("job class com.example.Nope is not on the classpath; check its name, or compile it before generating");
      assertWithMessage("%s", messages).that(messages.stream().noneMatch(m -> m.contains("Fresh"))).isTrue();
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
