package org.mirage4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code mirage format}: placeholder until the formatter lands, see below. */
@Command(name = "format", mixinStandardHelpOptions = true, versionProvider = Main.Version.class)
final class FormatCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new Main.UsageException("not yet available");
  }
}
