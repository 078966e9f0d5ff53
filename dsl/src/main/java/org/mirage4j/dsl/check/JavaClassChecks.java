package org.mirage4j.dsl.check;

import static org.mirage4j.dsl.mirage.MiragePackage.Literals.DRIVER_DECL__ARTIFACT;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.DRIVER_DECL__JAVA_CLASS;

import com.google.inject.Inject;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.xtext.common.types.JvmType;
import org.mirage4j.dsl.StdLib;
import org.mirage4j.dsl.javatypes.JavaTypeChecks;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.typing.MirageTypes;

/**
 * The Java side of a driver, at its declaration: the Maven artifact that provides it is written as
 * coordinates, and its class, when it is on the class path of the editor or the build, implements
 * the type's interface and has the constructor (or factory) its parameters ask for ({@link
 * JavaTypeChecks}). Job classes, and driver classes that are not on the class path, are checked by
 * lowering, for the drivers a target actually uses.
 */
public class JavaClassChecks {

  private static final Pattern ARTIFACT =
      Pattern.compile("[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+(:[A-Za-z0-9_.+-]+)?");

  private final MirageTypes types;

  /** Checks over the language's type rules (the Java types of parameters). */
  @Inject
  public JavaClassChecks(MirageTypes types) {
    this.types = types;
  }

  /** {@code from "groupId:artifactId"} or {@code from "groupId:artifactId:version"}. */
  public void checkArtifact(DriverDecl d, Problems problems) {
    if (d.getArtifact() != null && !ARTIFACT.matcher(d.getArtifact()).matches()) {
      problems.error(
          "'" + d.getArtifact() + "' is not a Maven artifact; write \"groupId:artifactId\" or \"groupId:artifactId:version\"",
          d, DRIVER_DECL__ARTIFACT);
    }
  }

  /** The driver's class, when it resolves: implements and constructor. */
  public void checkClass(DriverDecl d, Problems problems) {
    for (String message : problems(d)) {
      problems.error(message, d, DRIVER_DECL__JAVA_CLASS);
    }
  }

  /**
   * What {@link #checkClass} reports at a driver's declaration (nothing for the standard library's
   * drivers, or for a class that is not on the class path), so that the per-target pass does not
   * report it again where the driver is used.
   */
  public List<String> problems(DriverDecl d) {
    JvmType cls = d.getJavaClass();
    if (cls == null || cls.eIsProxy() || StdLib.isStd(d.eResource() == null ? null : d.eResource().getURI())) {
      return List.of();
    }
    return new JavaTypeChecks().checkDriver(d, types);
  }
}
