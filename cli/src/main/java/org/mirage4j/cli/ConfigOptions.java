package org.mirage4j.cli;

import org.mirage4j.tooling.Configurator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The options every command that lowers a configuration shares: the file, the target, the
 * architecture, the class path and the configure-time keys ({@code --KEY=VALUE}, every option the
 * command does not know itself, collected by the command's {@code @Unmatched} field).
 */
final class ConfigOptions {

  private static final Pattern KEY = Pattern.compile("--((?:[A-Za-z_][A-Za-z0-9_]*-)?[A-Za-z_][A-Za-z0-9_]*)=(.*)", Pattern.DOTALL);

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      defaultValue = "config.mirage",
      description = "The configuration (default: ${DEFAULT-VALUE}).")
  Path file;

  @Option(
      names = {"-t", "--target"},
      paramLabel = "TARGET",
      defaultValue = "unix",
      description = "The target: unix, xen, arm, or one the configuration declares (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(
      names = "--arch",
      paramLabel = "ARCH",
      description = "The architecture (x86_64, aarch64, armv7); default: the target's first.")
  String arch;

  @Option(
      names = {"-cp", "--classpath"},
      paramLabel = "PATH",
      split = ":", splitSynopsisLabel = ":",
      description = "The application's class path (compiled job classes, drivers), separated by ':'. Without it, job classes are not checked (javac will).")
  List<Path> classpath;

  @picocli.CommandLine.Mixin SourceRootsOption sources = new SourceRootsOption();

  /** The configure-time keys, or a usage error for any other unknown argument. */
  static Map<String, String> keys(List<String> unmatched) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String arg : unmatched) {
      Matcher m = KEY.matcher(arg);
      if (!m.matches()) {
        if (arg.startsWith("--") && !arg.contains("=")) {
          throw new Main.UsageException(
              "unknown option '" + arg + "' (configure-time keys are written --KEY=VALUE)");
        }
        throw new Main.UsageException("unknown option or argument '" + arg + "'");
      }
      if (keys.put(m.group(1), m.group(2)) != null) {
        throw new Main.UsageException("key '" + m.group(1) + "' is given twice");
      }
    }
    return keys;
  }

  /** The front end's input; paths in diagnostics are relative to the working directory. */
  Configurator.Input input(List<String> unmatched) {
    return new Configurator.Input(
        file, classpath, Path.of("").toAbsolutePath(), target, arch, keys(unmatched), false, sourceRoots());
  }

  /** The source roots given, or the Maven layout's beside the configuration. */
  List<Path> sourceRoots() {
    return sources.roots(file);
  }
}
