package org.mirage4j.samples.directit;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.mirage4j.dsl.frontend.MirageFrontEnd;
import org.mirage4j.generator.GenerationResult;
import org.mirage4j.generator.GeneratorRequest;
import org.mirage4j.generator.MirageGenerator;

/** A sample generated for unix with the direct stack, compiled, and its output followed. */
final class GeneratedUnikernel {
  private GeneratedUnikernel() {}

  /**
   * Compiles the sample's job class, then generates the sample's wiring for unix with the given
   * configure keys and compiles it, checking that it links the driver classes {@code links};
   * returns the name of the generated main class.
   */
  static String generateAndCompile(Path sample, Path out, Map<String, String> keys, String... links)
      throws IOException {
    Path classes = out.resolve("classes");
    Files.createDirectories(classes);
    compile(javaFiles(sample.resolve("src/main/java")), classes);
    List<Path> classpath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classpath.add(Path.of(entry));
    }
    classpath.add(classes);
    try (MirageFrontEnd.Session session = MirageFrontEnd.open(sample.resolve("config.mirage"), classpath, sample)) {
      MirageFrontEnd.Outcome outcome = session.lower("unix", null, keys);
      assertWithMessage("diagnostics")
          .that(outcome.diagnostics().stream().filter(d -> d.isError()).map(Object::toString).toList())
          .isEmpty();
      GenerationResult result = MirageGenerator.generate(GeneratorRequest.of(outcome.model(), sample, out));
      assertThat(result.diagnostics()).isEmpty();
    }
    Path generatedDir = out.resolve("generated-sources/mirage");
    List<Path> generated = javaFiles(generatedDir);
    String wiring = null;
    StringBuilder text = new StringBuilder();
    for (Path p : generated) {
      String source = Files.readString(p);
      text.append(source);
      if (source.contains("public static void main(")) {
        wiring = generatedDir.relativize(p).toString().replace(File.separatorChar, '.').replaceAll("\\.java$", "");
      }
    }
    assertWithMessage("a generated main class").that(wiring).isNotNull();
    for (String driver : links) {
      assertWithMessage("the wiring links %s", driver).that(text.toString()).contains(driver);
    }
    compile(generated, classes);
    return wiring;
  }

  static void compile(List<Path> sources, Path classes) throws IOException {
    assertThat(sources).isNotEmpty();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter messages = new StringWriter();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
      Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(sources);
      boolean ok = javac.getTask(messages, fm, null,
              List.of("-Xlint:all", "-Werror", "--release", "17", "-proc:none", "-d", classes.toString(),
                  "-cp", System.getProperty("java.class.path") + File.pathSeparator + classes),
              null, units)
          .call();
      assertWithMessage("javac:\n%s", messages).that(ok).isTrue();
    }
  }

  static List<Path> javaFiles(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
  }

  static void pump(InputStream in, List<String> lines, String ready, CompletableFuture<Void> serving) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          System.out.println("[unikernel] " + line);
          lines.add(line);
          if (line.contains(ready)) {
            serving.complete(null);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      serving.completeExceptionally(new IOException("the unikernel's output ended"));
    }, "unikernel-output");
    t.setDaemon(true);
    t.start();
  }
}
