package org.mirage4j.dsl.frontend;

import com.google.inject.Injector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.util.CancelIndicator;
import org.eclipse.xtext.validation.CheckMode;
import org.eclipse.xtext.validation.CheckType;
import org.eclipse.xtext.validation.IResourceValidator;
import org.eclipse.xtext.validation.Issue;
import org.mirage4j.dsl.MirageStandaloneSetup;
import org.mirage4j.dsl.SourceLocator;
import org.mirage4j.dsl.StdLib;
import org.mirage4j.dsl.javatypes.JavaTypeChecks;
import org.mirage4j.dsl.javatypes.ProjectSources;
import org.mirage4j.dsl.lowering.Lowering;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.scoping.Visible;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.model.Diagnostic;
import org.mirage4j.model.Diagnostic.Code;
import org.mirage4j.model.SourceLocation;
import org.mirage4j.model.UnikernelModel;

/**
 * The language as a library, for the CLI, the Maven plugin and tests: load a {@code config.mirage}
 * with the user's class path, check it, and lower it for a target. Nothing here prints or throws
 * for a user's mistake; every problem comes back as a positioned {@link Diagnostic}.
 *
 * <p>The Xtext injector is created once per JVM and shared (creating it costs most of a second);
 * each {@link Session} has its own resource set and class loader, so sessions may run on several
 * threads at once. Sessions without a class path share one read-only standard library ({@link
 * SharedStd}); the others load their own.
 */
public final class MirageFrontEnd {

  private static volatile Injector injector;

  private MirageFrontEnd() {}

  /** The language's injector, created on first use. */
  public static Injector injector() {
    Injector i = injector;
    if (i == null) {
      synchronized (MirageFrontEnd.class) {
        i = injector;
        if (i == null) {
          initGuiceWithoutBytecodeGeneration();
          i = new MirageStandaloneSetup().createInjectorAndDoEMFRegistration();
          injector = i;
        }
      }
    }
    return i;
  }

  /** Guice's switch for generating classes, a system property it reads once. */
  private static final String GUICE_BYTECODE_GEN = "guice_bytecode_gen_option";

  /**
   * Makes Guice inject by reflection instead of generating a class for every constructor and method
   * it injects (about 140 of them for the language): the same injection (the language binds no
   * method interceptors, the one thing that needs generated classes), a third of a second less at
   * every cold start of the CLI and the Maven plugin. Guice reads the switch once, when its {@code
   * InternalFlags} initializes, so it is set for that moment only: another copy of Guice in the same
   * JVM (a Maven plugin's) keeps its default. A value the user set is left alone, and so is a Guice
   * already initialized.
   */
  private static void initGuiceWithoutBytecodeGeneration() {
    if (System.getProperty(GUICE_BYTECODE_GEN) != null) {
      return;
    }
    System.setProperty(GUICE_BYTECODE_GEN, "DISABLED");
    try {
      Class.forName("com.google.inject.internal.InternalFlags", true, Injector.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      // another Guice: its default
    } finally {
      System.clearProperty(GUICE_BYTECODE_GEN);
    }
  }

  /**
   * Opens a configuration.
   *
   * @param config the {@code config.mirage} file
   * @param classpath the user's class path (compiled job classes, drivers, runtime-api), or {@code
   *     null} when it is not known: then Java classes are not checked
   * @param displayBase paths in diagnostics are shown relative to this directory (usually the
   *     working directory or the project's base directory)
   */
  public static Session open(Path config, List<Path> classpath, Path displayBase) {
    return new Session(config, classpath, List.of(), displayBase);
  }

  /**
   * Opens a configuration whose job and driver classes may also be the project's own sources, not
   * compiled yet: those are read from {@code sourceRoots} and checked as compiled ones are.
   *
   * @param sourceRoots the project's Java source roots ({@code src/main/java}); those that do not
   *     exist are ignored
   */
  public static Session open(Path config, List<Path> classpath, List<Path> sourceRoots, Path displayBase) {
    return new Session(config, classpath, sourceRoots, displayBase);
  }

  /** One configuration with its imports, loaded in its own resource set. */
  public static final class Session implements AutoCloseable {
    private final Path config;
    private final Path displayBase;
    private final boolean classpathKnown;
    private final URLClassLoader classLoader;
    private final XtextResourceSet resourceSet;
    private final Resource main;
    private final SourceLocator locator;
    private final List<Diagnostic> loadProblems = new ArrayList<>();

    Session(Path config, List<Path> classpath, List<Path> sourceRoots, Path displayBase) {
      this.config = config.toAbsolutePath().normalize();
      this.displayBase = displayBase.toAbsolutePath().normalize();
      this.classpathKnown = classpath != null;
      List<URL> urls = new ArrayList<>();
      if (classpath != null) {
        for (Path p : classpath) {
          try {
            urls.add(p.toUri().toURL());
          } catch (MalformedURLException e) {
            throw new IllegalArgumentException("bad class path entry " + p, e);
          }
        }
      }
      this.classLoader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
      // without a class path, the standard library is the same for every session: shared, read only
      Resource std = classpath == null ? SharedStd.get(injector()) : null;
      if (std != null) {
        XtextResourceSet set = new SharedStd.Set(std);
        injector().injectMembers(set);
        this.resourceSet = set;
      } else {
        this.resourceSet = injector().getInstance(XtextResourceSet.class);
      }
      resourceSet.setClasspathURIContext(classLoader);
      resourceSet.addLoadOption(XtextResource.OPTION_RESOLVE_ALL, Boolean.TRUE);
      if (classpathKnown) {
        // the checker's per-target lowering then checks job classes too, as lowering does
        resourceSet.addLoadOption(JavaTypeChecks.OPTION_CLASSPATH_KNOWN, Boolean.TRUE);
        List<Path> roots = sourceRoots.stream().filter(Files::isDirectory).toList();
        if (!roots.isEmpty()) {
          URLClassLoader loader = classLoader;
          resourceSet.addLoadOption(JavaTypeChecks.OPTION_SOURCES, new ProjectSources(roots,
              name -> loader.getResource(name.replace('.', '/') + ".class") != null));
        }
      }
      this.locator = new SourceLocator(this::display);
      Resource r = null;
      if (!Files.isRegularFile(this.config)) {
        loadProblems.add(
            Diagnostic.error(
                new SourceLocation(display(this.config), 1, 1),
                Code.UNREADABLE,
                "cannot read the configuration: no such file"));
      } else {
        try {
          r = resourceSet.getResource(URI.createFileURI(this.config.toString()), true);
        } catch (RuntimeException e) {
          loadProblems.add(
              Diagnostic.error(
                  new SourceLocation(display(this.config), 1, 1),
                  Code.UNREADABLE,
                  "cannot read the configuration: " + rootMessage(e)));
        }
      }
      this.main = r;
    }

    private static String rootMessage(Throwable e) {
      Throwable t = e;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** How diagnostics show a resource: relative to the display base where possible. */
    private String display(Resource resource) {
      if (resource == null || resource.getURI() == null) {
        return "<unknown>";
      }
      if (StdLib.isStd(resource.getURI())) {
        return StdLib.DISPLAY_NAME;
      }
      if (resource.getURI().isFile()) {
        return display(Path.of(resource.getURI().toFileString()));
      }
      return resource.getURI().toString();
    }

    private String display(Path file) {
      Path abs = file.toAbsolutePath().normalize();
      if (abs.startsWith(displayBase)) {
        return displayBase.relativize(abs).toString();
      }
      return abs.toString();
    }

    /**
     * Replaces the configuration's text and parses it again, as an editor buffer or a watch loop
     * would: the files it imports, the standard library and the Java types stay loaded, so this is
     * much cheaper than a new session. Diagnostics are reported against the new text.
     *
     * @throws IllegalStateException if the configuration could not be read when the session opened
     */
    public void update(String text) {
      if (!(main instanceof XtextResource x)) {
        throw new IllegalStateException("the configuration could not be read: " + loadProblems);
      }
      fastCheck = null;
      locator.forget(main);
      try {
        x.reparse(text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      org.eclipse.emf.ecore.util.EcoreUtil.resolveAll(main);
    }

    /** The parsed file, or {@code null} if it could not be read. */
    public MirageFile file() {
      return main != null && !main.getContents().isEmpty() && main.getContents().get(0) instanceof MirageFile f
          ? f
          : null;
    }

    /** The configuration file and every file it imports (the generator's inputs). */
    public List<Path> inputFiles() {
      Set<Path> files = new LinkedHashSet<>();
      files.add(config);
      MirageFile f = file();
      if (f != null) {
        for (MirageFile v : Visible.files(f)) {
          URI uri = v.eResource().getURI();
          if (uri.isFile()) {
            files.add(Path.of(uri.toFileString()).toAbsolutePath().normalize());
          }
        }
      }
      return new ArrayList<>(files);
    }

    /**
     * Every syntax, linking and type error and warning of the configuration and of the files it
     * imports, sorted by file and position, including the problems each target the unikernel builds
     * for would have (as warnings "on target 'x': ...").
     */
    public List<Diagnostic> check() {
      return validate(CheckMode.ALL);
    }

    private List<Diagnostic> fastCheck;

    private List<Diagnostic> validate(CheckMode mode) {
      if (mode != CheckMode.ALL && fastCheck != null) {
        return fastCheck;
      }
      List<Diagnostic> result = new ArrayList<>(loadProblems);
      List<Diagnostic> fast = new ArrayList<>(loadProblems);
      if (main == null) {
        return result;
      }
      IResourceValidator validator = injector().getInstance(IResourceValidator.class);
      List<Resource> resources = new ArrayList<>();
      resources.add(main);
      MirageFile f = file();
      if (f != null) {
        for (MirageFile v : Visible.files(f)) {
          if (v.eResource() != main && !StdLib.isStd(v.eResource().getURI())) {
            resources.add(v.eResource());
          }
        }
      }
      for (Resource r : resources) {
        List<Issue> issues;
        try {
          issues = validator.validate(r, mode, CancelIndicator.NullImpl);
        } catch (RuntimeException e) {
          result.add(
              Diagnostic.error(
                  new SourceLocation(display(r), 1, 1),
                  Code.INTERNAL,
                  "internal error while checking this file, please report it: " + e));
          continue;
        }
        for (Issue issue : issues) {
          Diagnostic.Severity severity;
          switch (issue.getSeverity()) {
            case ERROR:
              severity = Diagnostic.Severity.ERROR;
              break;
            case WARNING:
              severity = Diagnostic.Severity.WARNING;
              break;
            default:
              continue; // info and ignore
          }
          int offset = issue.getOffset() == null ? 0 : issue.getOffset();
          Diagnostic d =
              new Diagnostic(severity, locator.locate(r, display(r), offset), code(issue), clean(issue.getMessage()));
          result.add(d);
          // the only expensive check is the per-target lowering: without it, this is the fast
          // check, which lower() need not run again
          if (issue.getType() != CheckType.EXPENSIVE) {
            fast.add(d);
          }
        }
      }
      result.sort(Diagnostic.ORDER);
      fast.sort(Diagnostic.ORDER);
      fastCheck = mode == CheckMode.ALL ? fast : result;
      return result;
    }

    /** The kind of an Xtext issue: syntax, linking, or the code the type checker gave it. */
    private static Code code(Issue issue) {
      String code = issue.getCode();
      if (org.eclipse.xtext.diagnostics.Diagnostic.SYNTAX_DIAGNOSTIC.equals(code)) {
        return Code.SYNTAX;
      }
      if (org.eclipse.xtext.diagnostics.Diagnostic.LINKING_DIAGNOSTIC.equals(code)) {
        return Code.UNKNOWN_NAME;
      }
      if (code != null) {
        for (Code c : Code.values()) {
          if (c.name().equals(code)) {
            return c;
          }
        }
      }
      return Code.TYPE;
    }

    private static String clean(String message) {
      return message == null ? "" : message.replace('\n', ' ').trim();
    }

    /**
     * Checks, then lowers the configuration for a target. Errors of the check stop before lowering.
     *
     * @param target {@code unix}, {@code xen}, {@code arm}, or a target the configuration declares
     * @param arch the architecture, or {@code null} for the target's default
     * @param configureKeys configure-time key values, as text
     */
    public Outcome lower(String target, String arch, Map<String, String> configureKeys) {
      // the expensive checks (lowering for every target, as warnings) are left out: lowering for
      // this target reports its own problems as errors
      List<Diagnostic> diagnostics = new ArrayList<>(validate(CheckMode.NORMAL_AND_FAST));
      if (diagnostics.stream().anyMatch(Diagnostic::isError)) {
        return new Outcome(null, diagnostics);
      }
      if (file() == null) {
        // nothing but layout and comments: no model, so say why (as lowering does for a library)
        diagnostics.add(Diagnostic.error(new SourceLocation(display(main), 1, 1), Code.NO_UNIKERNEL,
            "no 'unikernel' declaration; start the file with: unikernel <name>"));
        return new Outcome(null, diagnostics);
      }
      Lowering lowering =
          new Lowering(injector().getInstance(MirageTypes.class), JavaTypeChecks.forResource(main));
      Lowering.Result result;
      try {
        result =
            lowering.lower(
                file(),
                target,
                arch,
                configureKeys,
                locator,
                (severity, code, where, feature, message) ->
                    diagnostics.add(new Diagnostic(severity, locator.locate(where, feature), code, message)));
      } catch (RuntimeException e) {
        diagnostics.add(
            Diagnostic.error(
                new SourceLocation(display(main), 1, 1),
                Code.INTERNAL,
                "internal error while lowering, please report it: " + e));
        return new Outcome(null, diagnostics);
      }
      diagnostics.sort(Diagnostic.ORDER);
      return new Outcome(result.model().orElse(null), diagnostics);
    }

    /** The class loader of the user's class path (for the generator's own checks). */
    public ClassLoader classLoader() {
      return classLoader;
    }

    @Override
    public void close() {
      // no unload(): it turns every object into a proxy, a fifth of a session's time; the resource
      // set is garbage once the session is dropped
      resourceSet.getResources().clear();
      try {
        classLoader.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * The result of lowering.
   *
   * @param model the model, or {@code null} when there were errors
   * @param diagnostics errors and warnings, sorted
   */
  public record Outcome(UnikernelModel model, List<Diagnostic> diagnostics) {
    /** Whether there is an error. */
    public boolean failed() {
      return model == null || diagnostics.stream().anyMatch(Diagnostic::isError);
    }
  }

}
