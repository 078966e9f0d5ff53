package org.mirage4j.generator;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.mirage4j.runtime.Lifecycle;

/** Compiling generated code against runtime-api, as strictly as the issue asks. */
final class Compile {

  /** What the wiring must pass. */
  static final List<String> STRICT = List.of("-Xlint:all", "-Werror");

  private Compile() {}

  /** Where runtime-api's classes are (its jar or its target/classes). */
  static File runtimeApi() {
    try {
      return new File(Lifecycle.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Compiles {@code sources} with {@code -Xlint:all -Werror} against runtime-api alone and fails the
   * test with javac's messages (and the offending source) unless there is no warning or error.
   */
  static Compilation strictly(List<JavaFileObject> sources) {
    Compilation c = Compiler.javac()
        .withOptions(STRICT)
        .withClasspath(List.of(runtimeApi()))
        .compile(sources);
    if (c.status() != Compilation.Status.SUCCESS || !c.diagnostics().isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (Diagnostic<? extends JavaFileObject> d : c.diagnostics()) {
        sb.append(d.getKind()).append(' ')
            .append(d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber())
            .append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
        if (d.getSource() != null && sb.length() < 20_000) {
          try {
            sb.append(d.getSource().getCharContent(true)).append('\n');
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
      assertWithMessage("javac -Xlint:all -Werror reported:\n%s", sb).fail();
    }
    return c;
  }

  /** Compiles and writes the class files to {@code dir} (for running them in a child JVM). */
  static void toDirectory(List<JavaFileObject> sources, Path dir) throws IOException {
    Compilation c = strictly(sources);
    for (JavaFileObject f : c.generatedFiles()) {
      if (f.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      String name = f.toUri().getPath();
      String rel = name.substring(name.indexOf(StandardLocation.CLASS_OUTPUT.getName())
          + StandardLocation.CLASS_OUTPUT.getName().length() + 1);
      Path out = dir.resolve(rel);
      Files.createDirectories(out.getParent());
      try (var in = f.openInputStream()) {
        Files.copy(in, out);
      }
    }
  }

  static List<JavaFileObject> concat(List<JavaFileObject> a, List<JavaFileObject> b) {
    List<JavaFileObject> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

}
