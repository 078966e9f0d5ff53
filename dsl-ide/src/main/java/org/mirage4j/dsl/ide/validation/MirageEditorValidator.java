package org.mirage4j.dsl.ide.validation;

import com.google.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.log4j.Logger;
import org.eclipse.emf.common.util.Diagnostic;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.common.types.JvmType;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.service.OperationCanceledManager;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.CheckType;
import org.eclipse.xtext.validation.FeatureBasedDiagnostic;
import org.eclipse.xtext.validation.IDiagnosticConverter;
import org.eclipse.xtext.validation.Issue;
import org.eclipse.xtext.validation.ResourceValidatorImpl;
import org.mirage4j.dsl.SourceLocator;
import org.mirage4j.dsl.StdLib;
import org.mirage4j.dsl.ide.server.ProjectClasspath;
import org.mirage4j.dsl.javatypes.JavaNames;
import org.mirage4j.dsl.javatypes.JavaTypeChecks;
import org.mirage4j.dsl.lowering.Lowering;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.mirage.TargetDecl;
import org.mirage4j.dsl.mirage.Unikernel;
import org.mirage4j.dsl.scoping.Visible;
import org.mirage4j.dsl.typing.MirageTypes;

/**
 * The language's checks, plus, in the editor, the checks of job and driver classes that the build
 * makes ({@code mirage configure}, {@code mirage:generate}): where the workspace folder's class
 * path is known ({@link ProjectClasspath}), the file is lowered for each target its unikernel
 * builds for with the very {@link JavaTypeChecks} the build uses, and what they find is shown on
 * the file — a job class whose constructor does not take the devices it is given, a job class
 * that does not implement {@code Job}, a driver whose class is missing from the class path (with
 * the dependency to add). A problem found on every target is an error; one found on some targets
 * only is a warning that names them, as the other per-target problems are.
 *
 * <p>A job class that is not on the class path but whose source is in the project
 * ({@code src/main/java}) is not reported: it is simply not compiled yet, and javac checks it.
 */
public class MirageEditorValidator extends ResourceValidatorImpl {

  private static final Logger LOG = Logger.getLogger(MirageEditorValidator.class);

  /** The issue code of these problems. */
  public static final String JAVA_CLASS = "org.mirage4j.dsl.ide.javaClass";

  @Inject private MirageTypes types;

  @Inject private IDiagnosticConverter converter;

  @Inject private OperationCanceledManager cancelManager;

  @Override
  public List<Issue> validate(Resource resource, CheckMode mode, CancelIndicator cancel) {
    List<Issue> issues = super.validate(resource, mode, cancel);
    if (!mode.shouldCheck(CheckType.EXPENSIVE)
        || !(resource.getResourceSet() instanceof XtextResourceSet rs)
        || !(rs.getClasspathURIContext() instanceof ProjectClasspath.Loader loader)
        || !loader.classpath().known()
        || !resource.getErrors().isEmpty()
        || resource.getContents().isEmpty()
        || !(resource.getContents().get(0) instanceof MirageFile file)
        || file.getUnikernels().isEmpty()) {
      return issues;
    }
    List<Issue> result = new ArrayList<>(issues);
    try {
      javaProblems(file, loader.classpath(), cancel, result);
    } catch (RuntimeException e) {
      cancelManager.propagateIfCancelException(e);
      LOG.warn("cannot check the Java classes of " + resource.getURI() + ": " + e);
    }
    return result;
  }

  private record Found(EObject where, EStructuralFeature feature, String message) {}

  private void javaProblems(MirageFile file, ProjectClasspath classpath, CancelIndicator cancel, List<Issue> out) {
    Resource resource = file.eResource();
    Unikernel unikernel = file.getUnikernels().get(0);
    List<TargetDecl> targets = new ArrayList<>();
    for (TargetDecl t : unikernel.getTargets().isEmpty() ? Visible.targets(file) : unikernel.getTargets()) {
      if (t != null && !t.eIsProxy() && t.getName() != null) {
        targets.add(t);
      }
    }
    Map<Found, Set<String>> found = new LinkedHashMap<>();
    SourceLocator locator = new SourceLocator();
    for (TargetDecl t : targets) {
      cancelManager.checkCanceled(cancel);
      Recording checks = new Recording(classpath);
      new Lowering(types, checks).lower(file, t.getName(), null, Map.of(), locator,
          (severity, code, where, feature, message) -> {
            if (severity == org.mirage4j.model.Diagnostic.Severity.ERROR && checks.reported.contains(message)) {
              boolean here = where != null && where.eResource() == resource;
              Found f = new Found(here ? where : unikernel, here ? feature : null, message);
              found.computeIfAbsent(f, k -> new LinkedHashSet<>()).add(t.getName());
            }
          });
    }
    for (Map.Entry<Found, Set<String>> e : found.entrySet()) {
      Found f = e.getKey();
      boolean everywhere = e.getValue().size() == targets.size();
      String message =
          everywhere
              ? f.message()
              : "on target" + (e.getValue().size() == 1 ? " '" : "s '") + String.join("', '", e.getValue()) + "': " + f.message();
      FeatureBasedDiagnostic d =
          new FeatureBasedDiagnostic(
              everywhere ? Diagnostic.ERROR : Diagnostic.WARNING,
              message,
              f.where(),
              f.feature(),
              -1,
              CheckType.EXPENSIVE,
              JAVA_CLASS);
      converter.convertValidatorDiagnostic(d, out::add);
    }
  }

  /**
   * The build's checks, remembering what they report that the editor does not already show: the
   * language's checker reports the problems of a driver class that resolves at the driver's
   * declaration, so here only a missing driver class (at its use) and the job classes count.
   */
  private static final class Recording extends JavaTypeChecks {
    final Set<String> reported = new HashSet<>();
    private final ProjectClasspath classpath;

    Recording(ProjectClasspath classpath) {
      this.classpath = classpath;
    }

    @Override
    public List<String> checkDriver(DriverDecl d, MirageTypes types) {
      List<String> problems = super.checkDriver(d, types);
      JvmType cls = d.getJavaClass();
      if (cls == null || cls.eIsProxy() || StdLib.isStd(d.eResource() == null ? null : d.eResource().getURI())) {
        reported.addAll(problems);
      }
      return problems;
    }

    @Override
    public List<String> checkJob(JobDecl job, List<String> argTypes) {
      List<String> problems = super.checkJob(job, argTypes);
      JvmType cls = job.getJavaClass();
      if (cls == null || cls.eIsProxy()) {
        String name = JavaNames.of(job, MiragePackage.Literals.JOB_DECL__JAVA_CLASS);
        if (hasSource(name)) {
          return problems; // not compiled yet: javac's to check
        }
      }
      reported.addAll(problems);
      return problems;
    }

    private boolean hasSource(String className) {
      if (className == null || className.isEmpty()) {
        return false;
      }
      String file = className.replace('.', '/') + ".java";
      for (Path project : classpath.projects()) {
        for (String root : List.of("src/main/java", "src/test/java")) {
          if (Files.isRegularFile(project.resolve(root).resolve(file))) {
            return true;
          }
        }
      }
      return false;
    }
  }
}
