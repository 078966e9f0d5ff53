package org.mirage4j.dsl.javatypes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.xtext.common.types.JvmConstructor;
import org.eclipse.xtext.common.types.JvmDeclaredType;
import org.eclipse.xtext.common.types.JvmExecutable;
import org.eclipse.xtext.common.types.JvmFormalParameter;
import org.eclipse.xtext.common.types.JvmGenericType;
import org.eclipse.xtext.common.types.JvmMember;
import org.eclipse.xtext.common.types.JvmOperation;
import org.eclipse.xtext.common.types.JvmType;
import org.eclipse.xtext.common.types.JvmTypeReference;
import org.eclipse.xtext.common.types.JvmVisibility;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.HostResource;
import org.mirage4j.dsl.mirage.HostResourceKind;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.mirage.Param;
import org.mirage4j.dsl.mirage.TypeDecl;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.dsl.typing.Ty;
import org.mirage4j.model.Diagnostic;

/**
 * Checks the Java side of drivers and jobs against the user's class path (read from bytecode,
 * nothing is initialised): the class exists, implements its type's interface, and has a public
 * constructor (or the named static factory) that takes the declared parameters, then a {@code
 * String} for each {@code vif} and {@code disk} it {@code needs} (where the program finds it: the
 * guest's {@code eth0} or {@code /dev/xvdb}, which the generated wiring passes). A class that is
 * not compiled yet is read from the project's own sources ({@link ProjectSources}) when they are
 * known, and checked the same way.
 */
public class JavaTypeChecks {

  private final ProjectSources sources;

  /** Checks against the class path alone. */
  public JavaTypeChecks() {
    this(ProjectSources.NONE);
  }

  /** Checks against the class path, then the project's sources for a class not compiled yet. */
  public JavaTypeChecks(ProjectSources sources) {
    this.sources = sources;
  }

  /** The interface every job implements. */
  public static final String JOB_INTERFACE = "org.mirage4j.api.Job";

  /**
   * A resource-set load option, {@code Boolean.TRUE} when the resource set's class path is the
   * user's whole class path: then a job class that is not on it is an error (without it, job
   * classes are left to javac), in the checker as in lowering.
   */
  public static final String OPTION_CLASSPATH_KNOWN = "org.mirage4j.classpathKnown";

  /** A resource-set load option: the {@link ProjectSources} to read classes not compiled yet from. */
  public static final String OPTION_SOURCES = "org.mirage4j.projectSources";

  /**
   * The checks for {@code resource}'s resource set: against its class path and the project's
   * sources it was given; {@code null} when the class path is not the user's whole class path.
   */
  public static JavaTypeChecks forResource(org.eclipse.emf.ecore.resource.Resource resource) {
    if (!classpathKnown(resource)) {
      return null;
    }
    Object sources = resource.getResourceSet().getLoadOptions().get(OPTION_SOURCES);
    return new JavaTypeChecks(sources instanceof ProjectSources p ? p : ProjectSources.NONE);
  }

  /** Whether {@code resource}'s resource set was given the user's whole class path. */
  public static boolean classpathKnown(org.eclipse.emf.ecore.resource.Resource resource) {
    return resource != null && resource.getResourceSet() != null
        && Boolean.TRUE.equals(resource.getResourceSet().getLoadOptions().get(OPTION_CLASSPATH_KNOWN));
  }

  /** Problems with a driver's class, each a complete message. */
  public List<String> checkDriver(DriverDecl d, MirageTypes types) {
    List<String> problems = new ArrayList<>();
    TypeDecl type = d.getType();
    String className = JavaNames.of(d, MiragePackage.Literals.DRIVER_DECL__JAVA_CLASS);
    JvmType cls = d.getJavaClass();
    if (cls == null || cls.eIsProxy()) {
      Optional<ProjectSources.SourceClass> source = sources.find(className);
      if (source.isPresent()) {
        return checkDriverSource(d, types, source.get());
      }
      problems.add(
          "driver '" + d.getName() + "' needs class " + className + ", which is not on the classpath"
              + (sources.known() ? " nor in the project's sources" : "")
              + (d.getArtifact() == null ? "" : Diagnostic.ADD_DEPENDENCY + d.getArtifact()));
      return problems;
    }
    if (type != null && !type.eIsProxy()) {
      JvmType iface = type.getJavaType();
      String ifaceName = JavaNames.of(type, MiragePackage.Literals.TYPE_DECL__JAVA_TYPE);
      if (iface == null || iface.eIsProxy()) {
        problems.add(
            "type '" + type.getName() + "' needs interface " + ifaceName
                + ", which is not on the classpath; add the dependency org.mirage4j:mirage4j-runtime-api");
      } else if (!isSubtype(cls, ifaceName)) {
        problems.add(
            "class " + className + " of driver '" + d.getName() + "' does not implement " + ifaceName
                + " (type '" + type.getName() + "')");
      }
    }
    List<String> expected = parameterTypes(d, types);
    if (expected == null) {
      return problems; // a parameter's type is already an error
    }
    if (!(cls instanceof JvmDeclaredType declared)) {
      return problems;
    }
    String simple = declared.getSimpleName();
    String wanted = simple + "(" + expected.stream().map(JavaTypeChecks::shortName).collect(Collectors.joining(", ")) + ")";
    if (d.getFactory() != null) {
      List<JvmOperation> factories = new ArrayList<>();
      for (JvmMember m : declared.getMembers()) {
        if (m instanceof JvmOperation op && op.getSimpleName().equals(d.getFactory())) {
          factories.add(op);
        }
      }
      boolean fits =
          factories.stream()
              .anyMatch(
                  op ->
                      op.isStatic()
                          && op.getVisibility() == JvmVisibility.PUBLIC
                          && fits(op, expected)
                          && op.getReturnType() != null
                          && isSubtype(op.getReturnType().getType(), declared.getQualifiedName('.')));
      if (!fits) {
        problems.add(
            "class " + className + " has no public static factory " + d.getFactory() + "("
                + expected.stream().map(JavaTypeChecks::shortName).collect(Collectors.joining(", "))
                + ") returning " + simple + " for driver '" + d.getName() + "'"
                + existing(factories));
      }
    } else {
      List<JvmConstructor> ctors = new ArrayList<>();
      for (JvmMember m : declared.getMembers()) {
        if (m instanceof JvmConstructor c) {
          ctors.add(c);
        }
      }
      boolean fits = ctors.stream().anyMatch(c -> c.getVisibility() == JvmVisibility.PUBLIC && fits(c, expected));
      if (declared instanceof JvmGenericType g && g.isAbstract()) {
        problems.add("class " + className + " of driver '" + d.getName() + "' is abstract or an interface");
      } else if (!fits) {
        problems.add(
            "class " + className + " has no public constructor " + wanted + " for driver '" + d.getName()
                + "' (declared parameters: " + parameterNames(d) + ")" + existing(ctors));
      }
    }
    return problems;
  }

  /**
   * Problems with a job's class.
   *
   * @param argTypes the Java type of each argument (null where unknown)
   */
  public List<String> checkJob(JobDecl job, List<String> argTypes) {
    List<String> problems = new ArrayList<>();
    String className = JavaNames.of(job, MiragePackage.Literals.JOB_DECL__JAVA_CLASS);
    JvmType cls = job.getJavaClass();
    if (cls == null || cls.eIsProxy()) {
      Optional<ProjectSources.SourceClass> source = sources.find(className);
      if (source.isPresent()) {
        return checkJobSource(source.get(), argTypes);
      }
      problems.add(sources.known()
          ? "job class " + className + " is neither on the classpath nor in the project's sources; check its name"
          : "job class " + className + " is not on the classpath; check its name, or compile it before generating");
      return problems;
    }
    if (!isSubtype(cls, JOB_INTERFACE)) {
      problems.add("job class " + className + " does not implement " + JOB_INTERFACE);
    }
    if (argTypes.contains(null) || !(cls instanceof JvmDeclaredType declared)) {
      return problems;
    }
    List<JvmConstructor> ctors = new ArrayList<>();
    for (JvmMember m : declared.getMembers()) {
      if (m instanceof JvmConstructor c) {
        ctors.add(c);
      }
    }
    if (ctors.stream().noneMatch(c -> c.getVisibility() == JvmVisibility.PUBLIC && fits(c, argTypes))) {
      problems.add(
          "job class " + className + " has no public constructor " + declared.getSimpleName() + "("
              + argTypes.stream().map(JavaTypeChecks::shortName).collect(Collectors.joining(", "))
              + ") for the arguments given to it" + existing(ctors));
    }
    return problems;
  }

  // ------------------------------------------------ classes read from the project's sources

  private List<String> checkDriverSource(DriverDecl d, MirageTypes types, ProjectSources.SourceClass cls) {
    List<String> problems = new ArrayList<>();
    String className = cls.qualifiedName();
    TypeDecl type = d.getType();
    if (type != null && !type.eIsProxy()) {
      String ifaceName = JavaNames.of(type, MiragePackage.Literals.TYPE_DECL__JAVA_TYPE);
      if (implementsInSource(cls, ifaceName, 0) == Boolean.FALSE) {
        problems.add("class " + className + " of driver '" + d.getName() + "' does not implement " + ifaceName
            + " (type '" + type.getName() + "'; read from " + cls.file().getFileName() + ")");
      }
    }
    List<String> expected = parameterTypes(d, types);
    if (expected == null) {
      return problems; // a parameter's type is already an error
    }
    String args = expected.stream().map(JavaTypeChecks::shortName).collect(Collectors.joining(", "));
    if (d.getFactory() != null) {
      List<ProjectSources.Executable> factories =
          cls.methods().stream().filter(m -> m.name().equals(d.getFactory())).toList();
      boolean fits = factories.stream().anyMatch(m -> m.isPublic() && m.isStatic() && fits(m, expected));
      if (!fits) {
        problems.add("class " + className + " has no public static factory " + d.getFactory() + "(" + args
            + ") returning " + cls.simpleName() + " for driver '" + d.getName() + "'" + existingInSource(factories));
      }
    } else if (cls.isAbstract()) {
      problems.add("class " + className + " of driver '" + d.getName() + "' is abstract or an interface");
    } else if (!fitsAConstructor(cls, expected)) {
      problems.add("class " + className + " has no public constructor " + cls.simpleName() + "(" + args
          + ") for driver '" + d.getName() + "' (declared parameters: " + parameterNames(d) + ")"
          + existingInSource(cls.constructors()));
    }
    return problems;
  }

  /** The kinds of the resources a driver receives after its parameters: each vif and disk it needs. */
  private static List<String> receivedResources(DriverDecl d) {
    List<String> kinds = new ArrayList<>();
    for (HostResource r : d.getResources()) {
      if (r.getKind() == HostResourceKind.VIF || r.getKind() == HostResourceKind.DISK) {
        kinds.add(r.getKind().getLiteral());
      }
    }
    return kinds;
  }

  /** A driver's parameters for a message: {@code network_name, then a String for its vif}. */
  private static String parameterNames(DriverDecl d) {
    String declared = d.getParams().stream().map(Param::getName).collect(Collectors.joining(", "));
    List<String> resources = receivedResources(d);
    return resources.isEmpty() ? declared
        : (declared.isEmpty() ? "" : declared + ", then ") + "a String for its " + String.join(", ", resources);
  }

  /**
   * The Java types a driver's class takes, in order: its parameters', then a {@code String} per vif
   * and disk it needs; {@code null} when a parameter's type is an error.
   */
  private static List<String> parameterTypes(DriverDecl d, MirageTypes types) {
    List<String> expected = new ArrayList<>();
    for (Param p : d.getParams()) {
      Ty t = types.typeOf(p.getType());
      if (t instanceof Ty.Device dev) {
        expected.add(JavaNames.of(dev.decl(), MiragePackage.Literals.TYPE_DECL__JAVA_TYPE));
      } else if (t instanceof Ty.Val v) {
        expected.add(JavaNames.of(v.type()));
      } else {
        return null;
      }
    }
    expected.addAll(Collections.nCopies(receivedResources(d).size(), "java.lang.String"));
    return expected;
  }

  private List<String> checkJobSource(ProjectSources.SourceClass cls, List<String> argTypes) {
    List<String> problems = new ArrayList<>();
    if (implementsInSource(cls, JOB_INTERFACE, 0) == Boolean.FALSE) {
      problems.add("job class " + cls.qualifiedName() + " does not implement " + JOB_INTERFACE
          + " (read from " + cls.file().getFileName() + ")");
    }
    if (!argTypes.contains(null) && !fitsAConstructor(cls, argTypes)) {
      problems.add("job class " + cls.qualifiedName() + " has no public constructor " + cls.simpleName() + "("
          + argTypes.stream().map(JavaTypeChecks::shortName).collect(Collectors.joining(", "))
          + ") for the arguments given to it" + existingInSource(cls.constructors()));
    }
    return problems;
  }

  private static boolean fitsAConstructor(ProjectSources.SourceClass cls, List<String> expected) {
    if (cls.constructors().isEmpty()) {
      return expected.isEmpty(); // the default constructor
    }
    return cls.constructors().stream().anyMatch(c -> c.isPublic() && fits(c, expected));
  }

  private static boolean fits(ProjectSources.Executable e, List<String> expected) {
    if (e.parameterTypes().size() != expected.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      if (!ProjectSources.sameType(e.parameterTypes().get(i), expected.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a source class is, extends or implements {@code iface}: {@code TRUE}, {@code FALSE}, or
   * {@code null} when a supertype is compiled or unresolved (javac will tell).
   */
  private Boolean implementsInSource(ProjectSources.SourceClass cls, String iface, int depth) {
    if (cls.qualifiedName().equals(iface)) {
      return Boolean.TRUE;
    }
    if (depth > 20) {
      return null;
    }
    boolean unknown = false;
    for (String s : cls.supertypes()) {
      if (s.equals(iface)) {
        return Boolean.TRUE;
      }
      Optional<ProjectSources.SourceClass> up = sources.find(s);
      Boolean b = up.isPresent() ? implementsInSource(up.get(), iface, depth + 1) : null;
      if (b == Boolean.TRUE) {
        return Boolean.TRUE;
      }
      unknown |= b == null && !s.startsWith("java.lang.");
    }
    return unknown ? null : Boolean.FALSE;
  }

  private static String existingInSource(List<ProjectSources.Executable> executables) {
    if (executables.isEmpty()) {
      return "";
    }
    return "; it has: " + executables.stream()
        .map(e -> e.name() + "(" + e.parameterTypes().stream().map(JavaTypeChecks::shortName).collect(Collectors.joining(", ")) + ")")
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private static String existing(List<? extends JvmExecutable> executables) {
    if (executables.isEmpty()) {
      return "";
    }
    return "; it has: "
        + executables.stream()
            .map(
                e ->
                    e.getSimpleName() + "("
                        + e.getParameters().stream()
                            .map(p -> shortName(erasure(p.getParameterType())))
                            .collect(Collectors.joining(", "))
                        + ")")
            .sorted()
            .collect(Collectors.joining(", "));
  }

  private static boolean fits(JvmExecutable e, List<String> expected) {
    List<JvmFormalParameter> params = e.getParameters();
    if (params.size() != expected.size()) {
      return false;
    }
    for (int i = 0; i < params.size(); i++) {
      if (!erasure(params.get(i).getParameterType()).equals(expected.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static String erasure(JvmTypeReference ref) {
    if (ref == null || ref.getType() == null) {
      return "?";
    }
    return ref.getType().getQualifiedName('.');
  }

  private static String shortName(String qualified) {
    return qualified == null ? "?" : qualified.substring(qualified.lastIndexOf('.') + 1);
  }

  /** Whether {@code type} is, extends or implements the type named {@code qualifiedName}. */
  public static boolean isSubtype(JvmType type, String qualifiedName) {
    return isSubtype(type, qualifiedName, new HashSet<>());
  }

  private static boolean isSubtype(JvmType type, String qualifiedName, Set<JvmType> seen) {
    if (type == null || type.eIsProxy() || !seen.add(type)) {
      return false;
    }
    if (qualifiedName.equals(type.getQualifiedName('.'))) {
      return true;
    }
    if (type instanceof JvmDeclaredType d) {
      for (JvmTypeReference s : d.getSuperTypes()) {
        if (isSubtype(s.getType(), qualifiedName, seen)) {
          return true;
        }
      }
    }
    return false;
  }
}
