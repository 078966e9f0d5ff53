package org.mirage4j.cli;

import org.mirage4j.tooling.Configurator;
import org.mirage4j.model.Diagnostic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mirage check}: diagnostics only. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    header = "Reports the errors and warnings of configurations; generates nothing.",
    description = {
      "Checks configurations (syntax, names, types, for every target) and prints their errors and"
          + " warnings as file:line:col: error: message. Generates nothing."
    })
final class CheckCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Files to check (default: config.mirage).")
  List<Path> files = new ArrayList<>();

  @Option(
      names = {"-cp", "--classpath"},
      paramLabel = "PATH",
      split = ":", splitSynopsisLabel = ":",
      description = "The application's class path; without it, job classes are not checked.")
  List<Path> classpath;

  @CommandLine.Mixin SourceRootsOption sources = new SourceRootsOption();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    List<Path> todo = files.isEmpty() ? List.of(Path.of("config.mirage")) : files;
    List<Diagnostic> problems = new ArrayList<>();
    for (Path f : todo) {
      for (Diagnostic p : Configurator.check(f, classpath, sources.roots(f), Path.of("").toAbsolutePath())) {
        if (!problems.contains(p)) { // an imported file checked twice reports once
          problems.add(p);
        }
      }
    }
    return Report.print(problems, spec.commandLine().getErr()) ? Main.CONFIG_ERROR : Main.OK;
  }
}
