package org.mirage4j.generator;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.mirage4j.model.UnikernelModel;

/**
 * What to generate and where.
 *
 * @param model the resolved device graph of one unikernel for one target
 * @param projectDir the directory holding {@code config.mirage}; crunched directories are relative
 *     to it
 * @param javaOutput the root of generated Java sources ({@code target/generated-sources/mirage})
 * @param resourcesOutput the root of generated resources ({@code
 *     target/generated-resources/mirage}): crunched directories
 * @param buildDir the build's output directory ({@code target}); target artifacts go to {@code
 *     <buildDir>/mirage/<target>/} and the record of generated files to {@code
 *     <buildDir>/mirage/generated-files.tsv}
 * @param packageName the package of the wiring class
 * @param version what the unikernel's {@code --version} prints
 * @param launcherClasspath for the {@code unix} launcher: class-path entries, relative to the
 *     launcher's directory unless absolute
 * @param libraries what the build links, for {@code app_info}: {@code name<TAB>version} each
 *     ({@code org.mirage4j:mirage4j-driver-http\t0.1.0}); sorted and deduplicated here
 */
public record GeneratorRequest(
    UnikernelModel model,
    Path projectDir,
    Path javaOutput,
    Path resourcesOutput,
    Path buildDir,
    String packageName,
    String version,
    List<String> launcherClasspath,
    List<String> libraries) {

  /** The package used when none is given. */
  public static final String DEFAULT_PACKAGE = "org.mirage4j.generated";

  /** The version used when none is given. */
  public static final String DEFAULT_VERSION = "dev";

  /** Requires every component; copies the class path. */
  public GeneratorRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(projectDir, "projectDir");
    Objects.requireNonNull(javaOutput, "javaOutput");
    Objects.requireNonNull(resourcesOutput, "resourcesOutput");
    Objects.requireNonNull(buildDir, "buildDir");
    Objects.requireNonNull(packageName, "packageName");
    Objects.requireNonNull(version, "version");
    launcherClasspath = List.copyOf(launcherClasspath);
    libraries = List.copyOf(new java.util.TreeSet<>(libraries));
  }

  /** A request without libraries. */
  public GeneratorRequest(
      UnikernelModel model, Path projectDir, Path javaOutput, Path resourcesOutput, Path buildDir,
      String packageName, String version, List<String> launcherClasspath) {
    this(model, projectDir, javaOutput, resourcesOutput, buildDir, packageName, version,
        launcherClasspath, List.of());
  }

  /** The same request with the build's libraries ({@code name<TAB>version} each). */
  public GeneratorRequest withLibraries(List<String> newLibraries) {
    return new GeneratorRequest(
        model, projectDir, javaOutput, resourcesOutput, buildDir, packageName, version,
        launcherClasspath, newLibraries);
  }

  /**
   * The usual Maven layout under {@code buildDir}: sources in {@code
   * generated-sources/mirage}, resources in {@code generated-resources/mirage}, the default
   * package and version, and a launcher that runs {@code <buildDir>/<name>.jar}.
   */
  public static GeneratorRequest of(UnikernelModel model, Path projectDir, Path buildDir) {
    return new GeneratorRequest(
        model,
        projectDir,
        javaOutput(buildDir),
        resourcesOutput(buildDir),
        buildDir,
        DEFAULT_PACKAGE,
        DEFAULT_VERSION,
        List.of("../../" + model.name() + ".jar"));
  }

  /** The same request with another package. */
  public GeneratorRequest withPackage(String newPackage) {
    return new GeneratorRequest(
        model, projectDir, javaOutput, resourcesOutput, buildDir, newPackage, version,
        launcherClasspath, libraries);
  }

  /** The same request with another version. */
  public GeneratorRequest withVersion(String newVersion) {
    return new GeneratorRequest(
        model, projectDir, javaOutput, resourcesOutput, buildDir, packageName, newVersion,
        launcherClasspath, libraries);
  }

  /** Where the target's artifacts go: {@code <buildDir>/mirage/<target>}. */
  public Path artifactsDir() {
    return artifactsDir(buildDir, model.target());
  }

  /** The Maven layout's root of generated Java sources: {@code <buildDir>/generated-sources/mirage}. */
  public static Path javaOutput(Path buildDir) {
    return buildDir.resolve("generated-sources/mirage");
  }

  /** The Maven layout's root of crunched resources: {@code <buildDir>/generated-resources/mirage}. */
  public static Path resourcesOutput(Path buildDir) {
    return buildDir.resolve("generated-resources/mirage");
  }

  /** The directory that holds one directory of artifacts per target: {@code <buildDir>/mirage}. */
  public static Path artifactsRoot(Path buildDir) {
    return buildDir.resolve("mirage");
  }

  /** Where a target's artifacts go: {@code <buildDir>/mirage/<target>}. */
  public static Path artifactsDir(Path buildDir, String target) {
    return artifactsRoot(buildDir).resolve(target);
  }
}
