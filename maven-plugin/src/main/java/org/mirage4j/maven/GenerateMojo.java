package org.mirage4j.maven;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.DependencyManagement;
import org.apache.maven.model.Exclusion;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.DefaultDependencyResolutionRequest;
import org.apache.maven.project.DependencyResolutionException;
import org.apache.maven.project.DependencyResolutionResult;
import org.apache.maven.project.ProjectDependenciesResolver;
import org.codehaus.plexus.build.BuildContext;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.tooling.Configurator;
import org.mirage4j.generator.GeneratorRequest;
import org.mirage4j.model.Diagnostic;

/**
 * Generates the wiring of the unikernel described by {@code config.mirage} for one target into
 * {@code target/generated-sources/mirage} (added as a compile source root), its embedded
 * ({@code crunch}) resources into {@code target/generated-resources/mirage} (added as a resource
 * directory) and the target's artifacts into {@code target/mirage/<target>/}.
 *
 * <p>Incremental: when nothing it depends on changed since the last run, it does nothing and says
 * so. Switching {@code -Dmirage.target} regenerates and removes the previous target's files.
 *
 * <p>Class path: the project's compile dependencies. The project's own classes are compiled after
 * this goal, so its output directory is left out (it may hold stale classes); job and driver
 * classes from dependencies are checked against the configuration. The goal resolves them itself,
 * and only when the stamp's class path cannot stand for them (see {@link
 * Stamp#reusableClasspath}): an unchanged project then costs no resolution at all.
 */
@Mojo(
    name = "generate",
    defaultPhase = LifecyclePhase.GENERATE_SOURCES,
    requiresDependencyResolution = ResolutionScope.NONE,
    threadSafe = true)
public class GenerateMojo extends AbstractMirageMojo {

  /** The build directory; the generated files go below it. */
  @Parameter(defaultValue = "${project.build.directory}", readonly = true, required = true)
  private File buildDirectory;

  /** The package of the generated wiring class. */
  @Parameter(property = "mirage.package", defaultValue = "org.mirage4j.generated", required = true)
  private String packageName;

  /** What the unikernel's {@code --version} prints. */
  @Parameter(property = "mirage.appVersion", defaultValue = "${project.version}", required = true)
  private String appVersion;

  /** Regenerates even when the stamp says the output is up to date. */
  @Parameter(property = "mirage.force", defaultValue = "false")
  private boolean force;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  private PluginDescriptor plugin;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  private MavenSession session;

  @Component private BuildContext buildContext;

  @Component private ProjectDependenciesResolver dependenciesResolver;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skipped()) {
      return;
    }
    Path build = buildDirectory.toPath().toAbsolutePath().normalize();
    Path javaOut = GeneratorRequest.javaOutput(build);
    Path resourcesOut = GeneratorRequest.resourcesOutput(build);
    Path config = configFile.toPath().toAbsolutePath().normalize();
    Map<String, String> keys = configureKeys();
    Path stampFile = build.resolve(Stamp.FILE);
    Stamp previous = Stamp.read(stampFile);
    String dependencies = Stamp.dependencies(declaredDependencies());
    Optional<List<Path>> recorded =
        previous == null ? Optional.empty() : previous.reusableClasspath(dependencies, session.isOffline());
    Stamp.ClassPath resolved = recorded.isPresent() ? null : resolveClasspath(dependencies);
    List<Path> classpath = resolved == null ? recorded.get() : resolved.entries();

    // the roots are registered on every run, also when nothing is regenerated
    registerRoots(javaOut, resourcesOut);
    writeEditorClasspath(build, classpath);

    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("plugin", plugin.getVersion() + " " + pluginJarState());
    parameters.put("config", config.toString());
    parameters.put("target", target);
    parameters.put("arch", String.valueOf(arch));
    parameters.put("package", packageName);
    parameters.put("appVersion", appVersion);
    parameters.put("keys", keys.toString());
    parameters.put("build", build.toString());

    if (!force && previous != null && previous.outputsExist() && previous.inputs().contains(config)
        && previous.digest().equals(Stamp.digest(previous.inputs(), previous.dirs(), parameters, classpath))) {
      getLog().info("mirage: " + displayBase().relativize(config) + " for " + target + " is up to date");
      return;
    }
    if (resolved == null) { // the recorded class path no longer matches: what does the project have now?
      resolved = resolveClasspath(dependencies);
      classpath = resolved.entries();
      writeEditorClasspath(build, classpath);
    }

    Stamp.delete(stampFile);
    if (previous != null) {
      previous.inputs().forEach(p -> buildContext.removeMessages(p.toFile()));
    }
    buildContext.removeMessages(config.toFile());

    Configurator.Input input =
        new Configurator.Input(config, classpath, displayBase(), target, arch, keys, true, sourceRoots(build));
    Configurator.Configured result = Configurator.configure(input, build, packageName, appVersion);
    // markers for the IDE; a command-line build's BuildContext would log each problem a second time
    for (Diagnostic p : buildContext.isIncremental() ? result.problems() : List.<Diagnostic>of()) {
      File f = fileOf(p);
      if (f != null) {
        buildContext.addMessage(f, p.location().line(), p.location().column(), p.message(),
            p.isError() ? BuildContext.SEVERITY_ERROR : BuildContext.SEVERITY_WARNING, null);
      }
    }
    report(result.problems(), "mirage:generate");

    buildContext.refresh(javaOut.toFile());
    buildContext.refresh(resourcesOut.toFile());
    buildContext.refresh(GeneratorRequest.artifactsRoot(build).toFile());
    List<Path> inputs = new ArrayList<>(result.lowered().inputFiles());
    if (!inputs.contains(config)) {
      inputs.add(0, config);
    }
    List<Path> dirs = embeddedDirs(result, config.getParent());
    try {
      new Stamp(Stamp.digest(inputs, dirs, parameters, classpath), inputs, dirs, result.generation().written(),
          resolved).write(stampFile);
    } catch (IOException e) {
      getLog().warn("mirage: cannot write " + stampFile + " (" + e.getMessage() + "); the next build regenerates");
    }
    getLog().info("mirage: generated " + result.lowered().model().name() + " for " + target
        + " (" + result.lowered().model().arch() + "): " + result.generation().written().size()
        + " files, " + result.generation().deleted().size() + " stale removed");
  }

  /** The directories the unikernel embeds ({@code crunch}), each once, as the generator resolves them. */
  private static List<Path> embeddedDirs(Configurator.Configured result, Path projectDir) {
    Set<Path> dirs = new LinkedHashSet<>();
    for (DeviceNode device : result.lowered().model().devices()) {
      for (HostResource r : device.resources()) {
        if (r instanceof HostResource.Embed embed) {
          dirs.add(projectDir.resolve(embed.dir()).normalize());
        }
      }
    }
    return List.copyOf(dirs);
  }

  /**
   * What decides the resolved class path, as text: the project's dependencies and managed versions
   * (the effective model: inherited, interpolated, profiles applied).
   */
  private List<String> declaredDependencies() {
    List<String> lines = new ArrayList<>();
    for (Dependency d : project.getDependencies()) {
      lines.add("dependency " + describe(d));
    }
    DependencyManagement managed = project.getDependencyManagement();
    if (managed != null) {
      for (Dependency d : managed.getDependencies()) {
        lines.add("managed " + describe(d));
      }
    }
    return lines;
  }

  private static String describe(Dependency d) {
    StringBuilder s = new StringBuilder(d.getManagementKey()).append(':').append(d.getVersion())
        .append(" scope=").append(d.getScope()).append(" optional=").append(d.isOptional())
        .append(" path=").append(d.getSystemPath());
    for (Exclusion e : d.getExclusions()) {
      s.append(" exclude=").append(e.getGroupId()).append(':').append(e.getArtifactId());
    }
    return s.toString();
  }

  /**
   * Resolves the compile class path (compile, provided and system scopes, as javac will see it),
   * without the project's own classes: those are compiled after this goal and may be stale.
   */
  private Stamp.ClassPath resolveClasspath(String dependencies) throws MojoExecutionException {
    DefaultDependencyResolutionRequest request =
        new DefaultDependencyResolutionRequest(project, session.getRepositorySession());
    request.setResolutionFilter((node, parents) ->
        node.getDependency() == null || COMPILE_SCOPES.contains(node.getDependency().getScope()));
    DependencyResolutionResult result;
    try {
      result = dependenciesResolver.resolve(request);
    } catch (DependencyResolutionException e) {
      throw new MojoExecutionException("mirage:generate: cannot resolve the compile class path: " + e.getMessage(), e);
    }
    List<Path> entries = new ArrayList<>();
    List<Path> snapshots = new ArrayList<>();
    for (org.eclipse.aether.graph.Dependency d : result.getDependencies()) {
      File file = d.getArtifact().getFile();
      if (file != null) {
        Path p = file.toPath().toAbsolutePath().normalize();
        entries.add(p);
        if (d.getArtifact().isSnapshot()) {
          snapshots.add(p);
        }
      }
    }
    return new Stamp.ClassPath(dependencies, entries, snapshots);
  }

  private static final Set<String> COMPILE_SCOPES = Set.of("compile", "provided", "system");

  /**
   * Writes {@code target/mirage/classpath.txt} for the language server (docs/editors.md): the
   * project's own classes first, then the compile class path, one absolute entry per line. Rewritten
   * only when it changes, since editors restart their server when it does.
   */
  private void writeEditorClasspath(Path build, List<Path> classpath) {
    StringBuilder text = new StringBuilder("# the class path of this project, for the mirage4j language server\n");
    text.append(Path.of(project.getBuild().getOutputDirectory()).toAbsolutePath().normalize()).append('\n');
    try {
      for (Path p : classpath) {
        text.append(p).append('\n');
      }
      Path file = build.resolve("mirage/classpath.txt");
      String content = text.toString();
      if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      getLog().warn("mirage: cannot write the editors' class path file (" + e.getMessage() + ")");
    }
  }

  private String pluginJarState() {
    File jar = plugin.getPluginArtifact() == null ? null : plugin.getPluginArtifact().getFile();
    return jar == null ? "" : Stamp.fileState(jar.toPath());
  }

  private void registerRoots(Path javaOut, Path resourcesOut) {
    String sources = javaOut.toString();
    if (!project.getCompileSourceRoots().contains(sources)) {
      project.addCompileSourceRoot(sources);
    }
    String resources = resourcesOut.toString();
    boolean present = project.getResources().stream()
        .anyMatch(r -> resources.equals(Path.of(r.getDirectory()).toAbsolutePath().normalize().toString()));
    if (!present) {
      Resource r = new Resource();
      r.setDirectory(resources);
      project.addResource(r);
    }
  }

  /** The project's own source roots (job and driver classes not compiled yet), not what this goal writes. */
  private List<Path> sourceRoots(Path build) {
    Path generated = build.resolve("generated-sources").toAbsolutePath().normalize();
    return project.getCompileSourceRoots().stream()
        .map(r -> Path.of(r).toAbsolutePath().normalize())
        .filter(r -> !r.startsWith(generated))
        .toList();
  }
}
