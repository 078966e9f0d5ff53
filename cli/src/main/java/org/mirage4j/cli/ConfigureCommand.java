package org.mirage4j.cli;

import org.mirage4j.tooling.Configurator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mirage4j.generator.GeneratorRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mirage configure}: check, lower for a target, generate. */
@Command(
    name = "configure",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    header = "Generates the wiring and the target's artifacts (like mvn mirage:generate).",
    customSynopsis = "mirage configure [-t TARGET] [-f FILE] [-o DIR] [--arch ARCH] [-cp PATH]"
        + " [--package PKG] [--app-version V] [--KEY=VALUE...]",
    description = {
      "Checks the configuration, resolves it for one target and generates, below DIR, the same"
          + " files 'mvn mirage:generate' writes below target/:",
      "  DIR/generated-sources/mirage/     the wiring class",
      "  DIR/generated-resources/mirage/   crunched (embedded) kv_ro directories",
      "  DIR/mirage/TARGET/                the target's artifacts (launcher; .xl, .xl.in, libvirt XML)",
      "Every --KEY=VALUE sets a configure-time key of the configuration. Generated files of an"
          + " earlier run that this run does not produce are removed."
    })
final class ConfigureCommand implements Callable<Integer> {

  @Mixin ConfigOptions config;

  @CommandLine.Unmatched java.util.List<String> unmatched = new java.util.ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      defaultValue = "target",
      description = "The build directory to generate into (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(
      names = "--package",
      paramLabel = "PKG",
      defaultValue = GeneratorRequest.DEFAULT_PACKAGE,
      description = "The package of the wiring class (default: ${DEFAULT-VALUE}).")
  String packageName;

  @Option(
      names = "--app-version",
      paramLabel = "V",
      defaultValue = GeneratorRequest.DEFAULT_VERSION,
      description = "What the unikernel's --version prints (default: ${DEFAULT-VALUE}).")
  String appVersion;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Configurator.Input input = config.input(unmatched);
    Configurator.Configured result =
        Configurator.configure(input, output.toAbsolutePath().normalize(), packageName, appVersion);
    PrintWriter err = spec.commandLine().getErr();
    Report.commandLineErrors(result.problems(), "configure", err);
    if (Report.print(result.problems(), err)) {
      return Main.CONFIG_ERROR;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "configured " + result.lowered().model().name() + " for " + input.target()
            + " (" + result.lowered().model().arch() + "): "
            + result.generation().written().size() + " files, "
            + result.generation().deleted().size() + " stale removed, in " + output);
    out.flush();
    return Main.OK;
  }
}
