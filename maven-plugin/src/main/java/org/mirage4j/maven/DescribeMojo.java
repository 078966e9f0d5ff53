package org.mirage4j.maven;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.mirage4j.tooling.Configurator;
import org.mirage4j.tooling.GraphRenderer;
import org.mirage4j.model.UnikernelModel;

/**
 * Prints the device graph resolved for a target as an indented tree (each job, the devices it
 * receives with driver, Java class and source position, the keys); with {@code -Dmirage.dot}
 * writes it as Graphviz DOT to {@code target/mirage/<name>-<target>.dot}, and an SVG beside it
 * when Graphviz's {@code dot} is on the PATH.
 */
@Mojo(name = "describe", threadSafe = true)
public class DescribeMojo extends AbstractMirageMojo {

  /** Writes a Graphviz DOT file (and an SVG when {@code dot} is installed) instead of printing. */
  @Parameter(property = "mirage.dot", defaultValue = "false")
  private boolean dot;

  /** Where the DOT file goes; default {@code target/mirage/<name>-<target>.dot}. */
  @Parameter(property = "mirage.dotFile")
  private File dotFile;

  /** The build directory. */
  @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
  private File buildDirectory;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skipped()) {
      return;
    }
    Configurator.Input input = new Configurator.Input(
        configFile.toPath(), null, displayBase(), target, arch, configureKeys(), true);
    Configurator.Lowered lowered = Configurator.lower(input);
    report(lowered.problems(), "mirage:describe");
    UnikernelModel model = lowered.model();
    if (!dot) {
      for (String line : GraphRenderer.text(model).split("\n")) {
        getLog().info(line);
      }
      return;
    }
    Path file = dotFile != null
        ? dotFile.toPath()
        : buildDirectory.toPath().resolve("mirage").resolve(model.name() + "-" + model.target() + ".dot");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, GraphRenderer.dot(model), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write " + file + ": " + e.getMessage(), e);
    }
    getLog().info("mirage: device graph written to " + file);
    Path dotTool = findOnPath("dot");
    if (dotTool == null) {
      getLog().info("mirage: Graphviz 'dot' is not on the PATH, no SVG written");
      return;
    }
    String name = file.getFileName().toString();
    Path svg = file.resolveSibling(
        (name.endsWith(".dot") ? name.substring(0, name.length() - 4) : name) + ".svg");
    try {
      Process p = new ProcessBuilder(dotTool.toString(), "-Tsvg", "-o", svg.toString(), file.toString())
          .redirectErrorStream(true)
          .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        getLog().warn("mirage: dot did not finish within 60 s, no SVG written");
      } else if (p.exitValue() != 0) {
        getLog().warn("mirage: dot failed (" + p.exitValue() + "): " + output.trim());
      } else {
        getLog().info("mirage: SVG written to " + svg);
      }
    } catch (IOException e) {
      getLog().warn("mirage: cannot run dot: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MojoExecutionException("interrupted while running dot", e);
    }
  }

  private static Path findOnPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, tool);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
