package org.mirage4j.dsl.lowering;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.mirage4j.dsl.SourceLocator;
import org.mirage4j.dsl.javatypes.JavaTypeChecks;
import org.mirage4j.dsl.linking.DidYouMean;
import org.mirage4j.dsl.mirage.Arg;
import org.mirage4j.dsl.mirage.ArchDecl;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.mirage.TargetDecl;
import org.mirage4j.dsl.mirage.Unikernel;
import org.mirage4j.dsl.scoping.Visible;
import org.mirage4j.dsl.typing.Constants;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.model.Diagnostic;
import org.mirage4j.model.Diagnostic.Code;
import org.mirage4j.model.Platform;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.TargetKind;
import org.mirage4j.model.UnikernelModel;

/**
 * Turns a checked configuration, for one target and a set of configure-time key values, into the
 * plain {@link UnikernelModel} the generator consumes. It runs in phases:
 *
 * <ol>
 *   <li>the target and architecture are chosen (here), as the {@link Platform};
 *   <li>{@link ConfigureKeys}: the configure keys' values, from the user's text or the defaults;
 *   <li>{@link Evaluator}: the jobs' arguments, for that target and those values, as device
 *       {@link Node}s shared between identical driver applications, in dependency order; nodes
 *       that no job reaches are dropped;
 *   <li>{@link RuntimeKeys}: the options of the generated program;
 *   <li>{@link UsedClasses}: the Java classes of the drivers used and of the jobs, when the user's
 *       class path is known;
 *   <li>{@link ModelBuilder}: the model, when no phase reported an error.
 * </ol>
 *
 * <p>Problems that depend on the target (a driver without an implementation on it, a runtime key
 * that two devices would both claim, a Java class that is missing or does not fit) are reported
 * by the phases, at the position in the user's file that led to them.
 */
public class Lowering {

  private final MirageTypes types;
  private final Constants constants;
  private final JavaTypeChecks javaChecks;

  /**
   * A lowering.
   *
   * @param types the language's type rules
   * @param javaChecks checks of driver and job classes, or {@code null} to skip them (when the
   *     user's class path is not known)
   */
  public Lowering(MirageTypes types, JavaTypeChecks javaChecks) {
    this.types = types;
    this.constants = new Constants(types);
    this.javaChecks = javaChecks;
  }

  /**
   * Where lowering reports a problem: at the element of the user's file that led to it (the type
   * checker turns it into a marker on that element, the front end into a {@link Diagnostic}).
   */
  @FunctionalInterface
  public interface Reporter {
    /**
     * One problem.
     *
     * @param feature the part of {@code where} to point at, or {@code null} for all of it
     */
    void report(Diagnostic.Severity severity, Code code, EObject where, EStructuralFeature feature, String message);
  }

  /**
   * The result of lowering.
   *
   * @param model the model, present when no error was reported
   */
  public record Result(Optional<UnikernelModel> model) {

    /** Whether an error was reported (then there is no model). */
    public boolean hasErrors() {
      return model.isEmpty();
    }
  }

  private static final Result FAILED = new Result(Optional.empty());

  /**
   * Lowers {@code file} for {@code target}.
   *
   * @param arch the architecture, or {@code null} for the target's first
   * @param configureKeys configure-time key values given by the user, as text
   * @param locator shows positions as the user knows the files
   * @param reporter receives every problem, in the order found
   */
  public Result lower(
      MirageFile file,
      String target,
      String arch,
      Map<String, String> configureKeys,
      SourceLocator locator,
      Reporter reporter) {
    Report report = new Report(reporter, locator);
    Unikernel unikernel = file.getUnikernels().isEmpty() ? null : file.getUnikernels().get(0);
    if (unikernel == null || unikernel.getName() == null) {
      report.error(Code.NO_UNIKERNEL, file, null, "no 'unikernel' declaration; start the file with: unikernel <name>");
      return FAILED;
    }
    Platform platform = platform(file, unikernel, target, arch, report);
    if (platform == null) {
      return FAILED;
    }
    ConfigureKeys.Resolved keys =
        new ConfigureKeys(types, constants, locator, report).resolve(file, configureKeys, unikernel);

    List<JobDecl> jobDecls =
        file.getElements().stream().filter(JobDecl.class::isInstance).map(JobDecl.class::cast).toList();
    if (jobDecls.isEmpty()) {
      // MirageOS's `register "noop" []`: a program that starts and ends at once, with status 0
      report.warning(Code.NO_UNIKERNEL, unikernel,
              MiragePackage.Literals.UNIKERNEL__NAME,
              "unikernel '" + unikernel.getName() + "' has no job: its program starts and exits with status 0;"
                  + " add one to do something: job com.example.Main(default_console)");
    }
    Evaluator evaluator = new Evaluator(types, constants, file, target, keys::value, report);
    List<List<Evaluated>> jobArgs = new ArrayList<>();
    for (JobDecl job : jobDecls) {
      jobArgs.add(evaluator.evaluateJob(job));
    }
    keys.reportUnread(target);
    // an argument without a value: its problem is an error reported here or by the checker
    for (int j = 0; j < jobDecls.size(); j++) {
      List<Arg> written = jobDecls.get(j).getArgs();
      for (int i = 0; i < written.size(); i++) {
        if (jobArgs.get(j).get(i) == null && !report.hasErrors()) {
          report.once(Code.FOLLOW_UP, written.get(i),
                  null,
                  "this argument has no value on target '" + target + "'; fix the problems reported for it");
        }
      }
    }
    if (jobArgs.stream().anyMatch(args -> args.contains(null))) {
      return FAILED;
    }
    List<Node> nodes = evaluator.nodesReachedBy(jobArgs);
    Map<String, RuntimeKey> runtimeKeys =
        new RuntimeKeys(types, constants, file, locator, report).collect(nodes, jobDecls, jobArgs);
    if (javaChecks != null) {
      new UsedClasses(types, javaChecks, report).check(nodes, jobDecls, jobArgs);
    }
    if (report.hasErrors()) {
      return FAILED;
    }
    return new Result(Optional.of(new ModelBuilder(locator).build(
        unikernel, platform, nodes, jobDecls, jobArgs, keys.keys().values(), runtimeKeys.values())));
  }

  /**
   * The target and architecture to build for, as the model carries them; {@code null} (with a
   * problem) when the target is not one the unikernel builds for, or the architecture not one of
   * the target's.
   */
  private static Platform platform(MirageFile file, Unikernel unikernel, String targetName, String archName, Report report) {
    List<TargetDecl> targets = Visible.targets(file);
    TargetDecl target = targets.stream().filter(t -> t.getName().equals(targetName)).findFirst().orElse(null);
    if (target == null) {
      List<String> names = targets.stream().map(TargetDecl::getName).toList();
      report.error(Code.COMMAND_LINE, unikernel,
              MiragePackage.Literals.UNIKERNEL__NAME,
              "unknown target '" + targetName + "'" + DidYouMean.hint(targetName, names)
                  + " (targets: " + String.join(", ", names) + ")");
      return null;
    }
    List<String> declared =
        unikernel.getTargets().stream().filter(t -> !t.eIsProxy()).map(TargetDecl::getName).toList();
    if (!declared.isEmpty() && !declared.contains(targetName)) {
      report.error(Code.COMMAND_LINE, unikernel,
              null,
              "target '" + targetName + "' is not one of the targets of unikernel '" + unikernel.getName()
                  + "' (" + String.join(", ", declared) + "); build for one of them or add it to 'targets'");
      return null;
    }
    List<String> arches = target.getArches().stream().map(ArchDecl::getName).toList();
    String arch = archName;
    if (arch == null || arch.isEmpty()) {
      arch = arches.isEmpty() ? "x86_64" : arches.get(0);
    } else if (!arches.isEmpty() && !arches.contains(arch)) {
      report.error(Code.COMMAND_LINE, unikernel,
              MiragePackage.Literals.UNIKERNEL__NAME,
              "target '" + targetName + "' has no architecture '" + arch + "'"
                  + DidYouMean.hint(arch, arches)
                  + " (it supports: " + String.join(", ", arches) + ")");
      return null;
    }
    return platform(target, arch, report);
  }

  /** The target as the model carries it; null (with a problem) when its kind is unknown. */
  private static Platform platform(TargetDecl t, String arch, Report report) {
    String word = t.getKind() == null ? TargetKind.PROCESS.word() : t.getKind();
    Optional<TargetKind> kind = TargetKind.of(word);
    if (kind.isEmpty()) {
      report.error(Code.TARGET, t,
              MiragePackage.Literals.TARGET_DECL__KIND,
              "unknown target kind '" + word + "'" + DidYouMean.hint(word, TargetKind.words())
                  + "; the generator builds " + String.join(", ", TargetKind.words()));
      return null;
    }
    Optional<String> image = t.getArches().stream()
        .filter(a -> a.getName().equals(arch) && a.getKernelImage() != null)
        .map(ArchDecl::getKernelImage)
        .findFirst();
    if (kind.get() == TargetKind.XEN_GUEST && image.isEmpty()) {
      report.error(Code.TARGET, t,
              MiragePackage.Literals.TARGET_DECL__ARCHES,
              "guest target '" + t.getName() + "' does not say the kernel image format of " + arch
                  + "; write it after the architecture, e.g. arch " + arch + " (Image)");
      return null;
    }
    return new Platform(t.getName(), kind.get(), arch, image);
  }
}
