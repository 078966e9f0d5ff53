package org.mirage4j.maven;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.mirage4j.model.Diagnostic;

/** What every goal shares: the configuration, the target, the architecture and the keys. */
abstract class AbstractMirageMojo extends AbstractMojo {

  /** The Maven project. */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  /** The configuration file. */
  @Parameter(property = "mirage.config", defaultValue = "${project.basedir}/config.mirage", required = true)
  protected File configFile;

  /** The target: {@code unix}, {@code xen}, {@code arm}, or one the configuration declares. */
  @Parameter(property = "mirage.target", defaultValue = "unix", required = true)
  protected String target;

  /** The architecture ({@code x86_64}, {@code aarch64}, {@code armv7}); default: the target's first. */
  @Parameter(property = "mirage.arch")
  protected String arch;

  /**
   * Configure-time keys as a map ({@code <keys><net>direct</net></keys>}). {@link #keyList} wins
   * for a key given in both.
   */
  @Parameter
  protected Map<String, String> keys;

  /** Configure-time keys as text: {@code net=direct,kv_ro=crunch}. */
  @Parameter(property = "mirage.keys")
  protected String keyList;

  /** Skips the goal. */
  @Parameter(property = "mirage.skip", defaultValue = "false")
  protected boolean skip;

  /**
   * Whether to skip: when asked to, or in a {@code pom} project (a reactor's parent that inherits
   * the plugin) without a configuration.
   */
  protected boolean skipped() {
    if (skip) {
      getLog().info("mirage: skipped");
      return true;
    }
    if ("pom".equals(project.getPackaging()) && !configFile.isFile()) {
      getLog().info("mirage: no " + configFile.getName() + " in this pom project, skipped");
      return true;
    }
    return false;
  }

  /** The keys in force: the map, then the text, sorted by name. */
  protected Map<String, String> configureKeys() throws MojoFailureException {
    Map<String, String> result = new TreeMap<>();
    if (keys != null) {
      keys.forEach((k, v) -> result.put(k.trim(), v == null ? "" : v.trim()));
    }
    if (keyList != null && !keyList.isBlank()) {
      for (String item : keyList.split(",")) {
        if (item.isBlank()) {
          continue;
        }
        int eq = item.indexOf('=');
        if (eq <= 0) {
          throw new MojoFailureException(
              "mirage.keys: '" + item.trim() + "' is not KEY=VALUE (write -Dmirage.keys=net=direct,kv_ro=crunch)");
        }
        result.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
      }
    }
    return result;
  }

  /** The directory diagnostics and generated headers show paths relative to. */
  protected Path displayBase() {
    return project.getBasedir().toPath().toAbsolutePath().normalize();
  }

  /** The file a problem is about, for IDE markers; {@code null} if it is not a file of the project. */
  protected File fileOf(Diagnostic p) {
    Path f = displayBase().resolve(p.location().file()).normalize();
    return Files.isRegularFile(f) ? f.toFile() : null;
  }

  /**
   * Logs every problem as {@code file:line:col: error: message} and, when there is an error, fails
   * with a short message (no stack trace: it is the user's mistake, not ours). A problem with what
   * the build gave (the target, the architecture, a key) is named after those settings, not at a
   * place in the file; a driver artifact the pom lacks is followed by the {@code <dependency>} to add.
   */
  protected void report(List<Diagnostic> problems, String what) throws MojoFailureException {
    long errors = problems.stream().filter(Diagnostic::isError).count();
    long settingsErrors = 0;
    Set<String> dependencies = new LinkedHashSet<>();
    for (Diagnostic p : problems) {
      if (p.isError() && p.code() == Diagnostic.Code.COMMAND_LINE) {
        getLog().error(settings() + ": " + p.message());
        settingsErrors++;
      } else if (p.isError()) {
        getLog().error(p.toString());
        p.dependency().ifPresent(dependencies::add);
      } else {
        getLog().warn(p.toString());
      }
    }
    if (!dependencies.isEmpty()) {
      getLog().error("add to the pom's <dependencies> (the versions of mirage4j's artifacts come from mirage4j-bom):");
      for (String d : dependencies) {
        for (String line : dependencyXml(d).split("\n")) {
          getLog().error(line);
        }
      }
    }
    if (settingsErrors > 0 && settingsErrors == errors) {
      throw new MojoFailureException(what + ": " + errors + (errors == 1 ? " error" : " errors")
          + " in the build's settings (-Dmirage.target, -Dmirage.arch, -Dmirage.keys, or the plugin's <target>, <arch>, <keys>)");
    }
    if (errors > 0) {
      throw new MojoFailureException(
          what + ": " + errors + (errors == 1 ? " error" : " errors") + " in " + displayBase().relativize(
              configFile.toPath().toAbsolutePath().normalize()));
    }
  }

  /** What the build gave this goal, as the properties that set it: {@code mirage.target=unx, mirage.keys=net=dirct}. */
  private String settings() {
    StringBuilder s = new StringBuilder("mirage.target=").append(target);
    if (arch != null && !arch.isBlank()) {
      s.append(", mirage.arch=").append(arch);
    }
    try {
      Map<String, String> given = configureKeys();
      if (!given.isEmpty()) {
        s.append(", mirage.keys=");
        given.forEach((k, v) -> s.append(k).append('=').append(v).append(','));
        s.setLength(s.length() - 1);
      }
    } catch (MojoFailureException e) {
      // reported where the keys are read
    }
    return s.toString();
  }

  /** A {@code <dependency>} element for {@code groupId:artifactId[:version]}, indented for a pom. */
  static String dependencyXml(String coordinates) {
    String[] parts = coordinates.split(":");
    StringBuilder x = new StringBuilder("    <dependency>\n");
    x.append("      <groupId>").append(parts[0]).append("</groupId>\n");
    if (parts.length > 1) {
      x.append("      <artifactId>").append(parts[1]).append("</artifactId>\n");
    }
    if (parts.length > 2) {
      x.append("      <version>").append(parts[2]).append("</version>\n");
    }
    return x.append("    </dependency>").toString();
  }
}
