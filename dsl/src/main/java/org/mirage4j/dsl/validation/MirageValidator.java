package org.mirage4j.dsl.validation;

import com.google.inject.Inject;
import java.util.Optional;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.validation.Check;
import org.eclipse.xtext.validation.CheckType;
import org.mirage4j.dsl.check.GraphChecks;
import org.mirage4j.dsl.check.ImportChecks;
import org.mirage4j.dsl.check.IssueCodes;
import org.mirage4j.dsl.check.JavaClassChecks;
import org.mirage4j.dsl.check.NameChecks;
import org.mirage4j.dsl.check.Problems;
import org.mirage4j.dsl.check.TargetChecks;
import org.mirage4j.dsl.check.TypeChecker;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.HostResource;
import org.mirage4j.dsl.mirage.Import;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.MatchExpr;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.mirage.RefExpr;
import org.mirage4j.dsl.mirage.TargetDecl;
import org.mirage4j.dsl.mirage.Unikernel;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.model.ValueType;

/**
 * The checker of the language, as Xtext calls it: one {@code @Check} per kind of element, each
 * handing the element to the checks of {@code org.mirage4j.dsl.check} — {@link TypeChecker} (types
 * and arguments), {@link NameChecks} (duplicates, unused names), {@link ImportChecks}, {@link
 * GraphChecks} (cycles, match coverage), {@link TargetChecks} (targets, the unikernel, and the
 * per-target pass, which lowers the file for each target it builds for and shows target problems
 * as warnings) and {@link JavaClassChecks} (a driver's class and artifact). Every check reports
 * against the user's text and names what would fix the problem.
 */
public class MirageValidator extends AbstractMirageValidator {

  /** A name declared twice, or one that shadows another file's. */
  public static final String DUPLICATE = IssueCodes.DUPLICATE;

  /** A device or key that no job reaches. */
  public static final String UNUSED = IssueCodes.UNUSED;

  /** An argument or constant that does not fit where it stands. */
  public static final String BAD_ARGUMENT = IssueCodes.BAD_ARGUMENT;

  @Inject private MirageTypes types;
  @Inject private TypeChecker typeChecker;
  @Inject private NameChecks names;
  @Inject private ImportChecks imports;
  @Inject private GraphChecks graph;
  @Inject private TargetChecks targets;
  @Inject private JavaClassChecks javaClasses;

  /** Where this check reports. */
  private Problems problems() {
    return new Problems(getMessageAcceptor());
  }

  /**
   * A check that throws is a bug of the checker: say so at the element being checked, instead of
   * Xtext's default of ignoring NullPointerExceptions (which would hide the problem and the bug).
   */
  @Override
  protected void handleExceptionDuringValidation(Throwable e) {
    EObject obj = getCurrentObject();
    if (obj == null) {
      super.handleExceptionDuringValidation(e);
      return;
    }
    String frame = e.getStackTrace().length > 0 ? " at " + e.getStackTrace()[0] : "";
    error("internal error in the checker, please report it: " + e + frame, obj, (EStructuralFeature) null);
  }

  // ------------------------------------------------------------------ file level

  @Check
  public void checkFile(MirageFile file) {
    Problems p = problems();
    targets.checkUnikernels(file, p);
    names.checkDuplicates(file, p);
    graph.checkCycles(file, p);
    if (!file.getUnikernels().isEmpty()) {
      names.checkUnused(file, p);
    }
  }

  @Check
  public void checkUnikernelName(Unikernel u) {
    names.checkUnikernelName(u, problems());
  }

  @Check
  public void checkTarget(TargetDecl t) {
    targets.checkTarget(t, problems());
  }

  @Check
  public void checkImport(Import i) {
    imports.checkImport(i, problems());
  }

  // ------------------------------------------------------------------ keys

  @Check
  public void checkKey(KeyDecl key) {
    Optional<ValueType> type = types.valueType(key.getType());
    if (type.isEmpty()) {
      return; // an incomplete type: the parser has said so
    }
    Problems p = problems();
    typeChecker.checkKey(key, type.get(), p);
    names.checkAliases(key, p);
    names.checkChoiceValues(key, p);
  }

  // ------------------------------------------------------------------ applications

  @Check
  public void checkRef(RefExpr ref) {
    typeChecker.checkReference(ref, problems());
  }

  // ------------------------------------------------------------------ devices

  @Check
  public void checkDevice(DeviceDecl d) {
    typeChecker.checkDevice(d, problems());
  }

  // ------------------------------------------------------------------ matches

  @Check
  public void checkMatch(MatchExpr m) {
    Problems p = problems();
    if (graph.checkCoverage(m, p)) {
      typeChecker.checkBranches(m, p);
    }
  }

  // ------------------------------------------------------------------ drivers and jobs

  @Check
  public void checkDriver(DriverDecl d) {
    Problems p = problems();
    javaClasses.checkArtifact(d, p);
    names.checkParameters(d, p);
    typeChecker.checkParameterDefaults(d, p);
    names.checkTargetList(d, p);
    javaClasses.checkClass(d, p);
  }

  @Check
  public void checkHostResource(HostResource r) {
    typeChecker.checkHostResource(r, problems());
  }

  @Check
  public void checkJob(JobDecl job) {
    typeChecker.checkJob(job, problems());
  }

  // ------------------------------------------------------------------ per target

  @Check(CheckType.EXPENSIVE)
  public void checkUnikernelFile(MirageFile file) {
    targets.checkEveryTarget(file, problems());
  }
}
