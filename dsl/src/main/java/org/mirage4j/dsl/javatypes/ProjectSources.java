package org.mirage4j.dsl.javatypes;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.RecordDeclaration;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.Type;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The project's own Java sources, read with JavaParser: what a job or driver class that is not
 * compiled yet declares (its public constructors and static factories, with their parameter types,
 * and the types it extends or implements), so that generation can check it before javac runs.
 * Type names are resolved as javac would for the cases that matter here: primitives, nested types of
 * the file, single-type imports, the file's own package, on-demand imports and {@code java.lang};
 * a name that cannot be resolved is kept as its simple name.
 */
public final class ProjectSources {

  /** No sources: every class is looked up on the class path alone. */
  public static final ProjectSources NONE = new ProjectSources(List.of(), name -> false);

  /**
   * A constructor or method as the source declares it.
   *
   * @param name the simple name ({@code <init>} for a constructor's class name)
   * @param isPublic whether it is public (a record's canonical constructor is)
   * @param isStatic whether it is static
   * @param returnType the erased, resolved return type; {@code void} for a constructor
   * @param parameterTypes the erased, resolved parameter types
   */
  public record Executable(String name, boolean isPublic, boolean isStatic, String returnType, List<String> parameterTypes) {}

  /**
   * A class found in the sources.
   *
   * @param qualifiedName its name
   * @param file the source file
   * @param isAbstract abstract class or interface
   * @param supertypes the resolved names of what it extends and implements (directly)
   * @param constructors its constructors (a class without one has the public default constructor)
   * @param methods its methods
   */
  public record SourceClass(String qualifiedName, Path file, boolean isAbstract, List<String> supertypes,
      List<Executable> constructors, List<Executable> methods) {

    /** The simple name. */
    public String simpleName() {
      return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    }
  }

  private final List<Path> roots;
  private final Predicate<String> onClassPath;
  private final Map<String, Optional<SourceClass>> found = new HashMap<>();
  /**
   * Made when the first source file is read: setting JavaParser up costs a cold start about 40 ms
   * (its language levels and validators), which a build whose classes are all compiled never needs.
   */
  private JavaParser parser;

  /**
   * @param roots the source roots ({@code src/main/java}, ...)
   * @param onClassPath whether a qualified class name is on the class path (to resolve on-demand imports)
   */
  public ProjectSources(List<Path> roots, Predicate<String> onClassPath) {
    this.roots = List.copyOf(roots);
    this.onClassPath = onClassPath;
  }

  /** Whether any source root was given. */
  public boolean known() {
    return !roots.isEmpty();
  }

  /** The class of that name declared in the sources (top level, or nested as {@code Outer.Inner}). */
  public Optional<SourceClass> find(String qualifiedName) {
    // not computeIfAbsent: reading a class resolves names, which looks up other classes
    Optional<SourceClass> c = found.get(qualifiedName);
    if (c == null) {
      found.put(qualifiedName, Optional.empty()); // a class whose names lead back to itself
      c = read(qualifiedName);
      found.put(qualifiedName, c);
    }
    return c;
  }

  private Optional<SourceClass> read(String qualifiedName) {
    // a.b.Outer.Inner: try a/b/Outer/Inner.java, then a/b/Outer.java holding Inner
    String[] parts = qualifiedName.split("\\.");
    for (int top = parts.length; top >= 1; top--) {
      Optional<Path> file = file(String.join("/", List.of(parts).subList(0, top)) + ".java");
      if (file.isEmpty()) {
        continue;
      }
      Optional<CompilationUnit> unit = parse(file.get());
      if (unit.isEmpty()) {
        return Optional.empty();
      }
      String topName = parts[top - 1];
      TypeDeclaration<?> type = unit.get().getTypes().stream()
          .filter(t -> t.getNameAsString().equals(topName)).findFirst().orElse(null);
      for (int i = top; i < parts.length && type != null; i++) {
        String name = parts[i];
        type = type.getMembers().stream().filter(m -> m instanceof TypeDeclaration<?> t && t.getNameAsString().equals(name))
            .map(m -> (TypeDeclaration<?>) m).findFirst().orElse(null);
      }
      return type == null ? Optional.empty() : Optional.of(describe(qualifiedName, file.get(), unit.get(), type));
    }
    return Optional.empty();
  }

  private Optional<Path> file(String relative) {
    for (Path root : roots) {
      Path f = root.resolve(relative);
      if (Files.isRegularFile(f)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  private Optional<CompilationUnit> parse(Path file) {
    try {
      if (parser == null) {
        parser = new JavaParser(
            new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));
      }
      ParseResult<CompilationUnit> r = parser.parse(file);
      // a file javac will reject is javac's to report; what parsed is still worth checking
      return r.getResult();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private SourceClass describe(String qualifiedName, Path file, CompilationUnit unit, TypeDeclaration<?> type) {
    Resolver r = new Resolver(unit, type);
    List<String> supertypes = new ArrayList<>();
    boolean isAbstract = false;
    if (type instanceof ClassOrInterfaceDeclaration c) {
      isAbstract = c.isInterface() || c.isAbstract();
      c.getExtendedTypes().forEach(t -> supertypes.add(r.resolve(t)));
      c.getImplementedTypes().forEach(t -> supertypes.add(r.resolve(t)));
    } else if (type instanceof RecordDeclaration rec) {
      rec.getImplementedTypes().forEach(t -> supertypes.add(r.resolve(t)));
    }
    List<Executable> ctors = new ArrayList<>();
    for (ConstructorDeclaration c : type.getConstructors()) {
      ctors.add(executable(c, "void", r));
    }
    if (type instanceof RecordDeclaration rec) {
      List<String> components = rec.getParameters().stream().map(p -> r.resolve(p.getType())).toList();
      if (ctors.stream().noneMatch(c -> c.parameterTypes().equals(components))) {
        ctors.add(new Executable(rec.getNameAsString(), rec.isPublic(), false, "void", components));
      }
    }
    List<Executable> methods = new ArrayList<>();
    for (MethodDeclaration m : type.getMethods()) {
      methods.add(executable(m, r.resolve(m.getType()), r));
    }
    return new SourceClass(qualifiedName, file, isAbstract, List.copyOf(supertypes), List.copyOf(ctors), List.copyOf(methods));
  }

  private static Executable executable(CallableDeclaration<?> c, String returnType, Resolver r) {
    List<String> params = new ArrayList<>();
    for (Parameter p : c.getParameters()) {
      params.add(r.resolve(p.getType()) + (p.isVarArgs() ? "[]" : ""));
    }
    return new Executable(c.getNameAsString(), c.hasModifier(Modifier.Keyword.PUBLIC), c.hasModifier(Modifier.Keyword.STATIC),
        returnType, List.copyOf(params));
  }

  /** Resolves the type names of one compilation unit. */
  private final class Resolver {
    private final String pkg;
    private final Map<String, String> single = new HashMap<>();
    private final List<String> onDemand = new ArrayList<>();
    private final Map<String, String> nested = new HashMap<>();

    Resolver(CompilationUnit unit, TypeDeclaration<?> type) {
      pkg = unit.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("");
      for (ImportDeclaration i : unit.getImports()) {
        if (i.isStatic()) {
          continue;
        }
        if (i.isAsterisk()) {
          onDemand.add(i.getNameAsString());
        } else {
          single.put(i.getName().getIdentifier(), i.getNameAsString());
        }
      }
      for (TypeDeclaration<?> t : unit.getTypes()) {
        String top = pkg.isEmpty() ? t.getNameAsString() : pkg + "." + t.getNameAsString();
        nested.put(t.getNameAsString(), top);
        collectNested(t, top);
      }
    }

    private void collectNested(TypeDeclaration<?> t, String qualified) {
      for (var m : t.getMembers()) {
        if (m instanceof TypeDeclaration<?> inner) {
          String q = qualified + "." + inner.getNameAsString();
          nested.putIfAbsent(inner.getNameAsString(), q);
          collectNested(inner, q);
        }
      }
    }

    String resolve(Type type) {
      if (type.isArrayType()) {
        return resolve(type.asArrayType().getComponentType()) + "[]";
      }
      if (type.isPrimitiveType() || type.isVoidType()) {
        return type.asString();
      }
      if (type instanceof ClassOrInterfaceType c) {
        return resolveName(erasedName(c));
      }
      return type.asString();
    }

    private String erasedName(ClassOrInterfaceType c) {
      String name = c.getNameAsString();
      return c.getScope().map(s -> erasedName(s) + "." + name).orElse(name);
    }

    private String resolveName(String name) {
      int dot = name.indexOf('.');
      String first = dot < 0 ? name : name.substring(0, dot);
      String rest = dot < 0 ? "" : name.substring(dot);
      if (nested.containsKey(first)) {
        return nested.get(first) + rest;
      }
      if (single.containsKey(first)) {
        return single.get(first) + rest;
      }
      if (dot > 0 && Character.isLowerCase(first.charAt(0))) {
        return name; // already qualified
      }
      String samePackage = pkg.isEmpty() ? first : pkg + "." + first;
      if (exists(samePackage)) {
        return samePackage + rest;
      }
      for (String p : onDemand) {
        if (exists(p + "." + first)) {
          return p + "." + first + rest;
        }
      }
      if (exists("java.lang." + first)) {
        return "java.lang." + first + rest;
      }
      return name;
    }

    private boolean exists(String qualified) {
      return onClassPath.test(qualified) || find(qualified).isPresent();
    }
  }

  /** Whether a parameter type read from source stands for the expected qualified type. */
  static boolean sameType(String fromSource, String expected) {
    if (fromSource.equals(expected)) {
      return true;
    }
    // an unresolved simple name: as good a match as the source allows
    return fromSource.indexOf('.') < 0 && expected.substring(expected.lastIndexOf('.') + 1).equals(fromSource);
  }
}
