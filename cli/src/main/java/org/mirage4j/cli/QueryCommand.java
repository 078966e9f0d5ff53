package org.mirage4j.cli;

import org.mirage4j.tooling.Configurator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.mirage4j.generator.GenerationResult;
import org.mirage4j.generator.GeneratorRequest;
import org.mirage4j.generator.MirageGenerator;
import org.mirage4j.model.Artifact;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mirage query packages|files}. */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    header = "Lists the driver artifacts a target needs, or the files configure would write.",
    customSynopsis = "mirage query (packages|files) [-t TARGET] [-f FILE] [-o DIR] [--arch ARCH] [--KEY=VALUE...]",
    description = {
      "packages: the Maven artifacts (groupId:artifactId:version) that provide the drivers the"
          + " target's device graph uses, one a line: the dependencies the application needs.",
      "files: the files 'mirage configure' with the same options would generate, one a line,"
          + " below DIR. Nothing is written to DIR."
    })
final class QueryCommand implements Callable<Integer> {

  /** What to query. */
  enum What {
    packages,
    files
  }

  @Parameters(index = "0", paramLabel = "WHAT", description = "packages or files.")
  What what;

  @Mixin ConfigOptions config;

  @CommandLine.Unmatched java.util.List<String> unmatched = new java.util.ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      defaultValue = "target",
      description = "The build directory 'files' refers to (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(
      names = "--package",
      paramLabel = "PKG",
      defaultValue = GeneratorRequest.DEFAULT_PACKAGE,
      description = "The package of the wiring class (default: ${DEFAULT-VALUE}).")
  String packageName;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Configurator.Input input = config.input(unmatched);
    Configurator.Lowered lowered = Configurator.lower(input);
    PrintWriter err = spec.commandLine().getErr();
    Report.commandLineErrors(lowered.problems(), "query", err);
    if (Report.print(lowered.problems(), err)) {
      return Main.CONFIG_ERROR;
    }
    PrintWriter out = spec.commandLine().getOut();
    if (what == What.packages) {
      for (Artifact a : lowered.model().artifacts()) {
        out.println(a.groupId() + ":" + a.artifactId() + ":"
            + (a.version().isEmpty() ? Main.version() : a.version()));
      }
      out.flush();
      return Main.OK;
    }
    // generate into a scratch directory and report the paths as they would be below DIR
    Path scratch = Files.createTempDirectory("mirage-query");
    try {
      GenerationResult result =
          MirageGenerator.generate(
              Configurator.request(lowered.model(), input.projectDir(), scratch, packageName, null));
      if (Report.print(result.diagnostics(), err)) {
        return Main.CONFIG_ERROR;
      }
      for (Path p : result.written()) {
        out.println(output.resolve(scratch.relativize(p)));
      }
      out.flush();
      return Main.OK;
    } finally {
      deleteTree(scratch);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
