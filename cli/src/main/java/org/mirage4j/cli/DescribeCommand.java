package org.mirage4j.cli;

import org.mirage4j.tooling.Configurator;
import org.mirage4j.tooling.GraphRenderer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mirage describe}: the resolved device graph. */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    header = "Prints the device graph resolved for a target (text tree or Graphviz DOT).",
    customSynopsis = "mirage describe [-t TARGET] [-f FILE] [--arch ARCH] [-cp PATH] [--dot] [--KEY=VALUE...]",
    description = {
      "Prints the device graph resolved for a target: as an indented tree (each job, the devices"
          + " it receives with their driver, Java class and source position, the keys), or with"
          + " --dot as a Graphviz graph ('mirage describe --dot | dot -Tsvg > graph.svg')."
    })
final class DescribeCommand implements Callable<Integer> {

  @Mixin ConfigOptions config;

  @CommandLine.Unmatched java.util.List<String> unmatched = new java.util.ArrayList<>();

  @Option(names = "--dot", description = "Print Graphviz DOT instead of the text tree.")
  boolean dot;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Configurator.Lowered lowered = Configurator.lower(config.input(unmatched));
    Report.commandLineErrors(lowered.problems(), "describe", spec.commandLine().getErr());
    if (Report.print(lowered.problems(), spec.commandLine().getErr())) {
      return Main.CONFIG_ERROR;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(dot ? GraphRenderer.dot(lowered.model()) : GraphRenderer.text(lowered.model()));
    out.flush();
    return Main.OK;
  }
}
