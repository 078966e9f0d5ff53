package org.mirage4j.dsl.check;

import static org.mirage4j.dsl.check.Problems.text;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.ARCH_DECL__NAME;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.JOB_DECL__JAVA_CLASS;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.TARGET_DECL__KIND;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.UNIKERNEL__NAME;

import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.emf.ecore.resource.Resource;
import org.mirage4j.dsl.SourceLocator;
import org.mirage4j.dsl.javatypes.JavaTypeChecks;
import org.mirage4j.dsl.linking.DidYouMean;
import org.mirage4j.dsl.lowering.Lowering;
import org.mirage4j.dsl.mirage.ArchDecl;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.Element;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.MatchExpr;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.mirage.TargetDecl;
import org.mirage4j.dsl.mirage.Unikernel;
import org.mirage4j.dsl.scoping.Visible;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.model.Diagnostic;
import org.mirage4j.model.TargetKind;

/**
 * What is built and for what: target declarations (a kind the generator builds, a guest's kernel
 * image format), the file's one {@code unikernel} (without it, jobs never run), and the per-target
 * pass: the file is lowered for each target its unikernel builds for, and the problems lowering
 * finds become markers here — an error when every target has it, otherwise a warning that names the
 * target (it becomes an error when that target is generated).
 */
public class TargetChecks {

  private final MirageTypes types;
  private final GraphChecks graph;
  private final JavaClassChecks javaClasses;

  /** Checks that lower with the language's type rules. */
  @Inject
  public TargetChecks(MirageTypes types, GraphChecks graph, JavaClassChecks javaClasses) {
    this.types = types;
    this.graph = graph;
    this.javaClasses = javaClasses;
  }

  /** A target's kind is one the generator builds; a guest says the format of each kernel image. */
  public void checkTarget(TargetDecl t, Problems problems) {
    if (t.getKind() != null && TargetKind.of(t.getKind()).isEmpty()) {
      problems.error(
          "unknown target kind '" + t.getKind() + "'" + DidYouMean.hint(t.getKind(), TargetKind.words())
              + "; the generator builds " + String.join(", ", TargetKind.words()),
          t, TARGET_DECL__KIND);
    }
    if (Objects.equals(t.getKind(), TargetKind.XEN_GUEST.word())) {
      for (ArchDecl a : t.getArches()) {
        if (a.getKernelImage() == null) {
          problems.error(
              "a guest architecture says the format of its kernel image: " + text(a.getName()) + " (Image)",
              a, ARCH_DECL__NAME);
        }
      }
    }
  }

  /** At most one unikernel per file; a file without one is a library, whose jobs never run. */
  public void checkUnikernels(MirageFile file, Problems problems) {
    List<Unikernel> unikernels = file.getUnikernels();
    for (int i = 1; i < unikernels.size(); i++) {
      problems.error(
          "a file declares at most one unikernel; '" + text(unikernels.get(0).getName()) + "' is already declared",
          unikernels.get(i), UNIKERNEL__NAME);
    }
    if (unikernels.isEmpty()) {
      for (Element e : file.getElements()) {
        if (e instanceof JobDecl j) {
          problems.warning(
              "this job is ignored: the file has no 'unikernel' declaration (a library's jobs never run)",
              j, JOB_DECL__JAVA_CLASS);
        }
      }
    }
  }

  /** One problem lowering found, where it is shown. */
  private record Found(EObject where, EStructuralFeature feature, String message, Diagnostic.Code code) {}

  /**
   * Lowers a file with a unikernel (and no syntax errors) for each target it builds for, and shows
   * what lowering finds. Problems reported elsewhere are left out: a match that misses a case
   * ({@link GraphChecks}), a driver class that does not fit ({@link JavaClassChecks}, at the
   * driver), and what only a command line would give (configure keys, a target's name).
   */
  public void checkEveryTarget(MirageFile file, Problems problems) {
    if (file.getUnikernels().isEmpty()) {
      return;
    }
    Resource resource = file.eResource();
    if (resource == null || !resource.getErrors().isEmpty()) {
      return;
    }
    Unikernel unikernel = file.getUnikernels().get(0);
    List<TargetDecl> targets =
        unikernel.getTargets().isEmpty()
            ? Visible.targets(file)
            : unikernel.getTargets().stream().filter(t -> !t.eIsProxy()).toList();
    Lowering lowering = new Lowering(types, JavaTypeChecks.forResource(resource));
    SourceLocator locator = new SourceLocator();
    // a problem every target has is an error, as configure and generate report it for any target;
    // one that only some targets have is a warning naming the target
    Map<Found, List<String>> perTarget = new LinkedHashMap<>();
    for (TargetDecl t : targets) {
      lowering.lower(file, t.getName(), null, Map.of(), locator, (severity, code, where, feature, message) -> {
        if (severity == Diagnostic.Severity.ERROR
            && code != Diagnostic.Code.FOLLOW_UP
            && code != Diagnostic.Code.COMMAND_LINE // what a command line would have to give
            && !(where instanceof MatchExpr m && graph.missesACase(m))) {
          EObject at = where.eResource() == resource ? where : unikernel;
          perTarget.computeIfAbsent(new Found(at, feature, message, code), k -> new ArrayList<>()).add(t.getName());
        }
      });
    }
    // a driver class that does not fit is reported at its declaration, not again where it is used
    Set<String> atDeclaration = new HashSet<>();
    for (MirageFile f : Visible.files(file)) {
      for (Element e : f.getElements()) {
        if (e instanceof DriverDecl d) {
          atDeclaration.addAll(javaClasses.problems(d));
        }
      }
    }
    for (Map.Entry<Found, List<String>> e : perTarget.entrySet()) {
      Found f = e.getKey();
      if (atDeclaration.contains(f.message())) {
        continue;
      }
      if (e.getValue().size() == targets.size()) {
        problems.error(f.message(), f.where(), f.feature(), f.code().name());
      } else {
        for (String t : e.getValue()) {
          problems.warning("on target '" + t + "': " + f.message(), f.where(), f.feature(), f.code().name());
        }
      }
    }
  }
}
