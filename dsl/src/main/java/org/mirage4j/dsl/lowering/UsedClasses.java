package org.mirage4j.dsl.lowering;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mirage4j.dsl.javatypes.JavaNames;
import org.mirage4j.dsl.javatypes.JavaTypeChecks;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.model.Diagnostic;
import org.mirage4j.model.Diagnostic.Code;

/**
 * The Java classes phase of lowering, when the user's class path is known: the class of each
 * driver the nodes use and each job's class, with the Java types of the arguments it is given,
 * checked by {@link JavaTypeChecks}. A problem is shown where the driver was applied, or at the
 * job.
 */
final class UsedClasses {

  private final MirageTypes types;
  private final JavaTypeChecks javaChecks;
  private final Report report;

  UsedClasses(MirageTypes types, JavaTypeChecks javaChecks, Report report) {
    this.types = types;
    this.javaChecks = javaChecks;
    this.report = report;
  }

  /** Checks the drivers of {@code nodes} and the jobs. */
  void check(List<Node> nodes, List<JobDecl> jobs, List<List<Evaluated>> jobArgs) {
    Set<DriverDecl> checked = new HashSet<>();
    for (Node n : nodes) {
      if (checked.add(n.driver)) {
        for (String message : javaChecks.checkDriver(n.driver, types)) {
          report.once(message.contains(Diagnostic.ADD_DEPENDENCY) ? Code.MISSING_DEPENDENCY : Code.JAVA_CLASS,
              n.site, null, message);
        }
      }
    }
    for (int j = 0; j < jobs.size(); j++) {
      List<String> argTypes = new ArrayList<>();
      for (Evaluated v : jobArgs.get(j)) {
        argTypes.add(javaTypeOf(v));
      }
      for (String message : javaChecks.checkJob(jobs.get(j), argTypes)) {
        report.once(jobCode(jobs.get(j)), jobs.get(j), MiragePackage.Literals.JOB_DECL__JAVA_CLASS, message);
      }
    }
  }

  /** A job class that is not there at all may only be not compiled yet. */
  private static Code jobCode(JobDecl job) {
    return job.getJavaClass() == null || job.getJavaClass().eIsProxy() ? Code.JOB_CLASS_MISSING : Code.JAVA_CLASS;
  }

  private String javaTypeOf(Evaluated v) {
    if (v instanceof Evaluated.Device d) {
      return JavaNames.of(d.node().driver.getType(), MiragePackage.Literals.TYPE_DECL__JAVA_TYPE);
    }
    if (v instanceof Evaluated.Key k) {
      return types.valueType(k.key().getType()).map(JavaNames::of).orElse(null);
    }
    if (v instanceof Evaluated.Constant c) {
      return JavaNames.of(c.value().type());
    }
    return null;
  }
}
