package org.mirage4j.tooling;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mirage4j.dsl.frontend.Diagnostic;
import org.mirage4j.dsl.frontend.MirageFrontEnd;
import org.mirage4j.generator.GenerationResult;
import org.mirage4j.generator.GeneratorRequest;
import org.mirage4j.generator.MirageGenerator;
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
   */
  public record Input(
      Path config,
      List<Path> classpath,
      Path displayBase,
      String target,
      String arch,
      Map<String, String> keys,
      boolean jobsMayBeMissing) {
    /** Requires the file, base and target; copies the maps. */
    public Input {
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(displayBase, "displayBase");
      Objects.requireNonNull(target, "target");
      classpath = classpath == null ? null : List.copyOf(classpath);
      keys = Map.copyOf(keys == null ? Map.of() : keys);
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
  public record Lowered(UnikernelModel model, List<Problem> problems, List<Path> inputFiles) {
    /** Whether there is an error (then {@code model} is {@code null}). */
    public boolean failed() {
      return model == null || problems.stream().anyMatch(Problem::error);
    }
  }

  /**
   * The result of configuring.
   *
   * @param lowered the lowering's result
   * @param generation what the generator did, or {@code null} when lowering failed
   * @param problems every problem of both stages
   */
  public record Configured(Lowered lowered, GenerationResult generation, List<Problem> problems) {
    /** Whether there is an error. */
    public boolean failed() {
      return problems.stream().anyMatch(Problem::error);
    }
  }

  /** Only checks: syntax, linking and type errors, without a target. */
  public static List<Problem> check(Path config, List<Path> classpath, Path displayBase) {
    synchronized (FRONT_END_LOCK) {
      try (MirageFrontEnd.Session session = MirageFrontEnd.open(config, classpath, displayBase)) {
        List<Problem> problems = new ArrayList<>();
        for (Diagnostic d : session.check()) {
          problems.add(Problem.of(d));
        }
        return problems;
      }
    }
  }

  /** How the front end says that a job class is missing (see {@link Input#jobsMayBeMissing()}). */
  private static final Pattern MISSING_JOB = Pattern.compile("job class (\\S+) is not on the classpath.*");

  /** Loads, checks and lowers for the input's target. */
  public static Lowered lower(Input input) {
    Lowered first = lower(input, input.classpath());
    if (!input.jobsMayBeMissing() || input.classpath() == null || !first.failed()) {
      return first;
    }
    List<Problem> errors = first.problems().stream().filter(Problem::error).toList();
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
    List<Problem> problems = new ArrayList<>(second.problems());
    for (Problem p : first.problems()) {
      if (!p.error() && !problems.contains(p)) {
        problems.add(p);
      }
    }
    return new Lowered(second.model(), problems, second.inputFiles());
  }

  private static boolean missingJob(Problem p) {
    return p.error() && MISSING_JOB.matcher(p.message()).matches();
  }

  private static Lowered lower(Input input, List<Path> classpath) {
    synchronized (FRONT_END_LOCK) {
      ClassLoader saved = Thread.currentThread().getContextClassLoader();
      Thread.currentThread().setContextClassLoader(Configurator.class.getClassLoader());
      try (MirageFrontEnd.Session session =
          MirageFrontEnd.open(input.config(), classpath, input.displayBase())) {
        MirageFrontEnd.Outcome outcome =
            session.lower(input.target(), input.arch(), new LinkedHashMap<>(input.keys()));
        List<Problem> problems = new ArrayList<>();
        for (Diagnostic d : outcome.diagnostics()) {
          problems.add(Problem.of(d));
        }
        return new Lowered(
            outcome.failed() ? null : outcome.model(), problems, session.inputFiles());
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
    List<Problem> problems = new ArrayList<>(lowered.problems());
    // before generating, so that the generator's record of its files forgets them too
    List<Path> otherTargets = removeOtherTargets(buildDir, input.target(), problems);
    GeneratorRequest request = request(lowered.model(), input.projectDir(), buildDir, packageName, version)
        .withLibraries(Libraries.of(input.classpath()));
    GenerationResult generation = MirageGenerator.generate(request);
    if (generation.diagnostics().stream().noneMatch(d -> d.severity() == org.mirage4j.generator.Diagnostic.Severity.ERROR)) {
      try {
        UnikernelInfo.of(lowered.model(), MirageGenerator.wiringClassName(request)).write(buildDir);
      } catch (IOException e) {
        problems.add(new Problem(true, buildDir.toString(), 0, 0, "cannot write " + UnikernelInfo.FILE + ": " + e.getMessage()));
      }
    }
    for (org.mirage4j.generator.Diagnostic d : generation.diagnostics()) {
      problems.add(Problem.of(d));
    }
    List<Path> deleted = new ArrayList<>(generation.deleted());
    deleted.addAll(otherTargets);
    generation = new GenerationResult(generation.written(), deleted, generation.diagnostics());
    return new Configured(lowered, generation, problems);
  }

  /** The words every generated text file carries in its first lines (the generator's marker). */
  static final String MARKER = "Generated by mirage4j-generator";

  /**
   * Removes the generated artifacts of targets other than {@code target} from {@code
   * <buildDir>/mirage/*}/: after a switch from unix to xen, the unix launcher must not linger.
   * Only files that carry the generator's marker are removed; anything else is left alone.
   */
  static List<Path> removeOtherTargets(Path buildDir, String target, List<Problem> problems) {
    List<Path> removed = new ArrayList<>();
    Path mirage = buildDir.resolve("mirage");
    if (!Files.isDirectory(mirage)) {
      return removed;
    }
    try (Stream<Path> dirs = Files.list(mirage)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        if (dir.getFileName().toString().equals(target)) {
          continue;
        }
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            if (marked(f)) {
              Files.delete(f);
              removed.add(f);
            }
          }
        }
        try (Stream<Path> rest = Files.list(dir)) {
          if (rest.findAny().isEmpty()) {
            Files.delete(dir);
          }
        }
      }
    } catch (IOException e) {
      problems.add(new Problem(false, mirage.toString(), 0, 0,
          "cannot remove the artifacts of other targets: " + e.getMessage()));
    }
    return removed;
  }

  private static boolean marked(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      String head = new String(in.readNBytes(1024), StandardCharsets.UTF_8);
      String[] lines = head.split("\n", 4);
      for (int i = 0; i < Math.min(3, lines.length); i++) {
        if (lines[i].contains(MARKER)) {
          return true;
        }
      }
      return false;
    }
  }
}
