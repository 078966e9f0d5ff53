package org.mirage4j.tooling;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mirage4j.dsl.frontend.MirageFrontEnd;
import org.mirage4j.generator.GenerationResult;
import org.mirage4j.generator.GeneratorRequest;
import org.mirage4j.generator.MirageGenerator;
import org.mirage4j.model.Diagnostic;
import org.mirage4j.model.SourceLocation;
import org.mirage4j.model.UnikernelModel;

/**
 * What {@code mirage configure} and {@code mvn mirage:generate} both do, in one place so that they
 * produce the same files for the same input: load and check the configuration, lower it for a
 * target, and hand the model to the generator with the Maven layout below a build directory
 * ({@code <buildDir>/generated-sources/mirage}, {@code <buildDir>/generated-resources/mirage},
 * {@code <buildDir>/mirage/<target>/}).
 *
 * <p>Thread-safety: the front end shares one Xtext injector and EMF's global registries (package
 * and resource-factory registries, plain maps) per JVM. Loading and lowering therefore run under
 * one JVM-wide lock; generation, which touches only the request's own directories, runs outside
 * it. That is what lets a Maven reactor build several unikernels with {@code -T 4}.
 */
public final class Configurator {

  /** Guards the front end (EMF's global registries) across threads. */
  private static final Object FRONT_END_LOCK = new Object();

  private Configurator() {}

  /**
   * What to configure.
   *
   * @param config the {@code config.mirage} file
   * @param classpath the user's class path, or {@code null}: then job classes are not checked
   * @param displayBase diagnostics show paths relative to this directory
   * @param target the target
   * @param arch the architecture, or {@code null} for the target's default
   * @param keys configure-time keys, as text
   * @param jobsMayBeMissing whether a job class that is not on {@code classpath} is left to javac
   *     rather than reported: the Maven plugin generates before the project's own classes are
   *     compiled, so it passes the dependencies only and sets this (driver classes and job classes
   *     of dependencies are still checked)
   * @param sourceRoots the project's Java source roots: a job or driver class that is not on {@code
   *     classpath} but declared there is read with JavaParser and checked as a compiled one is (its
   *     constructors, its interface), so that a mismatch is reported on {@code config.mirage}
   *     before javac meets the generated wiring
   */
  public record Input(
      Path config,
      List<Path> classpath,
      Path displayBase,
      String target,
      String arch,
      Map<String, String> keys,
      boolean jobsMayBeMissing,
      List<Path> sourceRoots) {
    /** Requires the file, base and target; copies the maps. */
    public Input {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(displayBase, "displayBase");
      Objects.requireNonNull(target, "target");
      classpath = classpath == null ? null : List.copyOf(classpath);
      keys = Map.copyOf(keys == null ? Map.of() : keys);
      sourceRoots = sourceRoots == null ? List.of() : List.copyOf(sourceRoots);
    }

    /** Without source roots: classes are looked up on the class path alone. */
    public Input(Path config, List<Path> classpath, Path displayBase, String target, String arch,
        Map<String, String> keys, boolean jobsMayBeMissing) {
      this(config, classpath, displayBase, target, arch, keys, jobsMayBeMissing, List.of());
    }

    /** The directory of the configuration: crunched directories are relative to it. */
    public Path projectDir() {
      Path parent = config.toAbsolutePath().normalize().getParent();
      return parent == null ? Path.of("").toAbsolutePath() : parent;
    }
  }

  /**
   * The result of lowering.
   *
   * @param model the model, or {@code null} on errors
   * @param problems errors and warnings, sorted by file and position
   * @param inputFiles the configuration and the files it imports
   */
  public record Lowered(UnikernelModel model, List<Diagnostic> problems, List<Path> inputFiles) {
    /** Whether there is an error (then {@code model} is {@code null}). */
    public boolean failed() {
      return model == null || problems.stream().anyMatch(Diagnostic::isError);
    }
  }

  /**
   * The result of configuring.
   *
   * @param lowered the lowering's result
   * @param generation what the generator did, or {@code null} when lowering failed
   * @param problems every problem of both stages
   */
  public record Configured(Lowered lowered, GenerationResult generation, List<Diagnostic> problems) {
    /** Whether there is an error. */
    public boolean failed() {
      return problems.stream().anyMatch(Diagnostic::isError);
    }
  }

  /** Only checks: syntax, linking and type errors, without a target. */
  public static List<Diagnostic> check(Path config, List<Path> classpath, Path displayBase) {
    return check(config, classpath, List.of(), displayBase);
  }

  /** Only checks, with the project's source roots for classes not compiled yet (see {@link Input#sourceRoots()}). */
  public static List<Diagnostic> check(Path config, List<Path> classpath, List<Path> sourceRoots, Path displayBase) {
    synchronized (FRONT_END_LOCK) {
      try (MirageFrontEnd.Session session = MirageFrontEnd.open(config, classpath, sourceRoots, displayBase)) {
        return session.check();
      }
    }
  }

  /** Loads, checks and lowers for the input's target. */
  public static Lowered lower(Input input) {
    Lowered first = lower(input, input.classpath());
    if (!input.jobsMayBeMissing() || input.classpath() == null || !first.failed()) {
      return first;
    }
    List<Diagnostic> errors = first.problems().stream().filter(Diagnostic::isError).toList();
    if (errors.isEmpty()) {
      return first;
    }
    if (!errors.stream().allMatch(Configurator::missingJob)) {
      // other errors stand; a job class not compiled yet is javac's to check, not one of them
      return new Lowered(null, first.problems().stream().filter(p -> !missingJob(p)).toList(),
          first.inputFiles());
    }
    // only job classes of the project itself are missing (not compiled yet): everything else was
    // checked against the class path; lower again without it to get the model, javac checks the jobs
    Lowered second = lower(input, null);
    List<Diagnostic> problems = new ArrayList<>(second.problems());
    for (Diagnostic p : first.problems()) {
      if (!p.isError() && !problems.contains(p)) {
        problems.add(p);
      }
    }
    return new Lowered(second.model(), problems, second.inputFiles());
  }

  /** A job class that is not on the class path (see {@link Input#jobsMayBeMissing()}). */
  private static boolean missingJob(Diagnostic p) {
    return p.isError() && p.code() == Diagnostic.Code.JOB_CLASS_MISSING;
  }

  private static Lowered lower(Input input, List<Path> classpath) {
    synchronized (FRONT_END_LOCK) {
      ClassLoader saved = Thread.currentThread().getContextClassLoader();
      Thread.currentThread().setContextClassLoader(Configurator.class.getClassLoader());
      try (MirageFrontEnd.Session session =
          MirageFrontEnd.open(input.config(), classpath, input.sourceRoots(), input.displayBase())) {
        MirageFrontEnd.Outcome outcome =
            session.lower(input.target(), input.arch(), new LinkedHashMap<>(input.keys()));
        return new Lowered(
            outcome.failed() ? null : outcome.model(), outcome.diagnostics(), session.inputFiles());
      } finally {
        Thread.currentThread().setContextClassLoader(saved);
      }
    }
  }

  /** The generator's request for a model, with the Maven layout below {@code buildDir}. */
  public static GeneratorRequest request(
      UnikernelModel model, Path projectDir, Path buildDir, String packageName, String version) {
    GeneratorRequest request = GeneratorRequest.of(model, projectDir, buildDir);
    if (packageName != null) {
      request = request.withPackage(packageName);
    }
    if (version != null) {
      request = request.withVersion(version);
    }
    return request;
  }

  /**
   * Lowers, then generates below {@code buildDir}.
   *
   * @param packageName the wiring's package, or {@code null} for the generator's default
   * @param version what the unikernel's {@code --version} prints, or {@code null} for the default
   */
  public static Configured configure(Input input, Path buildDir, String packageName, String version) {
    Lowered lowered = lower(input);
    if (lowered.failed()) {
      return new Configured(lowered, null, lowered.problems());
    }
    List<Diagnostic> problems = new ArrayList<>(lowered.problems());
    // before generating, so that the generator's record of its files forgets them too
    List<Path> otherTargets = MirageGenerator.removeOtherTargets(buildDir, input.target(), problems);
    GeneratorRequest request = request(lowered.model(), input.projectDir(), buildDir, packageName, version)
        .withLibraries(Libraries.of(input.classpath()));
    GenerationResult generation = MirageGenerator.generate(request);
    if (!generation.hasErrors()) {
      try {
        UnikernelInfo.of(lowered.model(), MirageGenerator.wiringClassName(request)).write(buildDir);
      } catch (IOException e) {
        problems.add(Diagnostic.error(SourceLocation.file(buildDir.toString()), Diagnostic.Code.OUTPUT, "cannot write " + UnikernelInfo.FILE + ": " + e.getMessage()));
      }
    }
    problems.addAll(generation.diagnostics());
    List<Path> deleted = new ArrayList<>(generation.deleted());
    deleted.addAll(otherTargets);
    generation = new GenerationResult(generation.written(), deleted, generation.diagnostics());
    return new Configured(lowered, generation, problems);
  }
}
