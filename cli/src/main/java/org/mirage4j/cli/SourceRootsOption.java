package org.mirage4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --sources DIRS}, for the commands that check job and driver classes: the project's Java
 * source roots, where a class that is not compiled yet is read (JavaParser) and checked.
 */
final class SourceRootsOption {

  @Option(
      names = "--sources",
      paramLabel = "DIRS",
      split = ":", splitSynopsisLabel = ":",
      description = "With -cp: the project's Java source roots, separated by ':', where job and driver classes not compiled yet are read and checked (default: src/main/java next to the configuration, if it exists).")
  List<Path> sources;

  /** The roots given, or {@code src/main/java} beside {@code config} if it exists (a Maven project's). */
  List<Path> roots(Path config) {
    if (sources != null) {
      return sources;
    }
    Path dir = config.toAbsolutePath().normalize().getParent();
    Path conventional = dir == null ? null : dir.resolve("src/main/java");
    return conventional != null && Files.isDirectory(conventional) ? List.of(conventional) : List.of();
  }
}
