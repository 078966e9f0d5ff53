package org.mirage4j.dsl.lowering;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.resource.Resource;
import org.mirage4j.dsl.SourceLocator;
import org.mirage4j.dsl.javatypes.JavaNames;
import org.mirage4j.dsl.javatypes.JavaTypeChecks;
import org.mirage4j.dsl.linking.DidYouMean;
import org.mirage4j.dsl.mirage.Arg;
import org.mirage4j.dsl.mirage.ArchDecl;
import org.mirage4j.dsl.mirage.ChoiceValue;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.Expr;
import org.mirage4j.dsl.mirage.HostResource;
import org.mirage4j.dsl.mirage.HostResourceKind;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.KeyStage;
import org.mirage4j.dsl.mirage.ListExpr;
import org.mirage4j.dsl.mirage.Literal;
import org.mirage4j.dsl.mirage.MatchCase;
import org.mirage4j.dsl.mirage.MatchExpr;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.mirage.Named;
import org.mirage4j.dsl.mirage.Param;
import org.mirage4j.dsl.mirage.RefExpr;
import org.mirage4j.dsl.mirage.TargetDecl;
import org.mirage4j.dsl.mirage.Unikernel;
import org.mirage4j.dsl.scoping.Visible;
import org.mirage4j.dsl.typing.Constants;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.dsl.typing.Parsed;
import org.mirage4j.dsl.typing.Ty;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.mirage4j.model.Argument;
import org.mirage4j.model.Diagnostic;
import org.mirage4j.model.Diagnostic.Code;
import org.mirage4j.model.Artifact;
import org.mirage4j.model.ConfigureKey;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.JobNode;
import org.mirage4j.model.Platform;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.SourceLocation;
import org.mirage4j.model.TargetKind;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/**
 * Turns a checked configuration, for one target and a set of configure-time key values, into the
 * plain {@link UnikernelModel} the generator consumes.
 *
 * <p>Lowering evaluates the jobs' arguments: a {@code match} picks its branch by the target or a
 * configure key (other branches are never evaluated, so a driver that does not exist on the target
 * is only a problem when it is chosen), device functions expand at their call sites, and every
 * driver application becomes a {@link DeviceNode}. Two applications of the same driver to the same
 * arguments are the same node, as in Functoria. Nodes are created after their arguments, so the
 * node list is in dependency order.
 *
 * <p>Problems that depend on the target (a driver without an implementation on it, a runtime key
 * that two devices would both claim, a Java class that is missing or does not fit) are reported
 * here, at the position in the user's file that led to them.
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
   * The result of lowering: the model when there was no error. (A plain class rather than a record:
   * Xtend code reads it from source.)
   */
  public static final class Result {
    private final Optional<UnikernelModel> model;

    Result(Optional<UnikernelModel> model) {
      this.model = model;
    }

    /** The model, present when no error was reported. */
    public Optional<UnikernelModel> model() {
      return model;
    }

    /** Whether an error was reported (then there is no model). */
    public boolean hasErrors() {
      return model.isEmpty();
    }
  }

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
    return new Run(file, target, arch, configureKeys, locator, reporter).run();
  }

  // ------------------------------------------------------------------ values during evaluation

  private sealed interface V permits DevV, ConstV, KeyV, Thunk {}

  private record DevV(NodeBuilder node) implements V {}

  private record ConstV(Value value, String configureKey) implements V {}

  private record KeyV(KeyDecl key, String group) implements V {}

  /** An argument of a device function, evaluated when (and only if) the body uses it. */
  private static final class Thunk implements V {
    final Expr expr;
    final Param param;
    final Map<Param, V> env;
    V value;
    boolean forced;

    Thunk(Expr expr, Param param, Map<Param, V> env) {
      this.expr = expr;
      this.param = param;
      this.env = env;
    }
  }

  /** A device node under construction. */
  private static final class NodeBuilder {
    final DriverDecl driver;
    final List<Param> params;
    final List<V> args;
    final EObject site;
    final String identity;
    final List<org.mirage4j.model.HostResource> resources = new ArrayList<>();
    String preferredName;
    boolean namedByUser;
    String id;

    NodeBuilder(DriverDecl driver, List<Param> params, List<V> args, EObject site, String identity) {
      this.driver = driver;
      this.params = params;
      this.args = args;
      this.site = site;
      this.identity = identity;
    }
  }

  private final class Run {
    final MirageFile file;
    final String targetName;
    final String archName;
    final Map<String, String> keyTexts;
    final SourceLocator locator;
    final Resource main;
    final Reporter reporter;
    boolean errors;
    final Map<String, NodeBuilder> nodes = new LinkedHashMap<>();
    final Map<DeviceDecl, V> deviceValues = new HashMap<>();
    final Set<DeviceDecl> evaluating = new HashSet<>();
    final Deque<EObject> sites = new ArrayDeque<>();
    final Map<String, ConfigureKey> configureKeys = new LinkedHashMap<>();
    final Map<KeyDecl, Value> configureValues = new IdentityHashMap<>();
    final Set<String> reportedSites = new HashSet<>();
    TargetDecl target;

    Run(
        MirageFile file, String target, String arch, Map<String, String> keys, SourceLocator locator,
        Reporter reporter) {
      this.reporter = reporter;
      this.file = file;
      this.targetName = target;
      this.archName = arch;
      this.keyTexts = keys;
      this.locator = locator;
      this.main = file.eResource();
    }

    Result run() {
      Unikernel unikernel = file.getUnikernels().isEmpty() ? null : file.getUnikernels().get(0);
      if (unikernel == null || unikernel.getName() == null) {
        error(Code.NO_UNIKERNEL, file, null, "no 'unikernel' declaration; start the file with: unikernel <name>");
        return new Result(Optional.empty());
      }
      EObject anchor = unikernel;
      List<TargetDecl> targets = Visible.targets(file);
      target = targets.stream().filter(t -> t.getName().equals(targetName)).findFirst().orElse(null);
      if (target == null) {
        List<String> names = targets.stream().map(TargetDecl::getName).toList();
        error(Code.COMMAND_LINE, anchor,
                MiragePackage.Literals.UNIKERNEL__NAME,
                "unknown target '" + targetName + "'" + DidYouMean.hint(targetName, names)
                    + " (targets: " + String.join(", ", names) + ")");
        return new Result(Optional.empty());
      }
      List<String> declared =
          unikernel.getTargets().stream().filter(t -> !t.eIsProxy()).map(TargetDecl::getName).toList();
      if (!declared.isEmpty() && !declared.contains(targetName)) {
        error(Code.COMMAND_LINE, anchor,
                null,
                "target '" + targetName + "' is not one of the targets of unikernel '" + unikernel.getName()
                    + "' (" + String.join(", ", declared) + "); build for one of them or add it to 'targets'");
        return new Result(Optional.empty());
      }
      List<String> arches = target.getArches().stream().map(ArchDecl::getName).toList();
      String arch = archName;
      if (arch == null || arch.isEmpty()) {
        arch = arches.isEmpty() ? "x86_64" : arches.get(0);
      } else if (!arches.isEmpty() && !arches.contains(arch)) {
        error(Code.COMMAND_LINE, anchor,
                MiragePackage.Literals.UNIKERNEL__NAME,
                "target '" + targetName + "' has no architecture '" + arch + "'"
                    + DidYouMean.hint(arch, arches)
                    + " (it supports: " + String.join(", ", arches) + ")");
        return new Result(Optional.empty());
      }
      Platform platform = platform(target, arch);
      if (platform == null) {
        return new Result(Optional.empty());
      }
      resolveConfigureKeys(anchor);

      List<JobNode> jobs = new ArrayList<>();
      List<JobDecl> jobDecls =
          file.getElements().stream().filter(JobDecl.class::isInstance).map(JobDecl.class::cast).toList();
      if (jobDecls.isEmpty()) {
        // MirageOS's `register "noop" []`: a program that starts and ends at once, with status 0
        warning(Code.NO_UNIKERNEL, anchor,
                MiragePackage.Literals.UNIKERNEL__NAME,
                "unikernel '" + unikernel.getName() + "' has no job: its program starts and exits with status 0;"
                    + " add one to do something: job com.example.Main(default_console)");
      }
      List<List<V>> jobArgs = new ArrayList<>();
      for (JobDecl job : jobDecls) {
        List<V> args = new ArrayList<>();
        for (Arg a : job.getArgs()) {
          sites.push(a);
          try {
            args.add(eval(a.getValue(), Map.of()));
          } finally {
            sites.pop();
          }
        }
        jobArgs.add(args);
      }

      // an argument without a value: its problem is an error reported here or by the checker
      for (int j = 0; j < jobDecls.size(); j++) {
        List<Arg> written = jobDecls.get(j).getArgs();
        for (int i = 0; i < written.size(); i++) {
          if (jobArgs.get(j).get(i) == null && !errors) {
            report(Code.FOLLOW_UP, written.get(i),
                    null,
                    "this argument has no value on target '" + targetName + "'; fix the problems reported for it");
          }
        }
      }
      if (jobArgs.stream().anyMatch(args -> args.contains(null))) {
        return new Result(Optional.empty());
      }
      prune(jobArgs);
      Map<String, RuntimeKey> runtimeKeys = collectRuntimeKeys(jobDecls, jobArgs);
      assignIds();
      if (javaChecks != null) {
        checkJava(jobDecls, jobArgs);
      }
      if (errors) {
        return new Result(Optional.empty());
      }

      List<DeviceNode> deviceNodes = new ArrayList<>();
      Set<Artifact> artifacts = new TreeSet<>();
      for (NodeBuilder n : nodes.values()) {
        List<Argument> arguments = new ArrayList<>();
        List<String> deps = new ArrayList<>();
        for (int i = 0; i < n.args.size(); i++) {
          arguments.add(argument(n.params.get(i).getName(), n.args.get(i), deps));
        }
        artifact(n.driver).ifPresent(artifacts::add);
        deviceNodes.add(
            new DeviceNode(
                n.id,
                displayName(n),
                n.driver.getType().getName(),
                JavaNames.of(n.driver.getType(), MiragePackage.Literals.TYPE_DECL__JAVA_TYPE),
                n.driver.getName(),
                JavaNames.of(n.driver, MiragePackage.Literals.DRIVER_DECL__JAVA_CLASS),
                Optional.ofNullable(n.driver.getFactory()),
                arguments,
                deps,
                n.resources,
                locate(n.site)));
      }
      Set<String> jobNames = new HashSet<>();
      for (int j = 0; j < jobDecls.size(); j++) {
        JobDecl job = jobDecls.get(j);
        List<Argument> arguments = new ArrayList<>();
        List<String> deps = new ArrayList<>();
        List<V> args = jobArgs.get(j);
        for (int i = 0; i < args.size(); i++) {
          arguments.add(argument("arg" + i, args.get(i), deps));
        }
        String className = JavaNames.of(job, MiragePackage.Literals.JOB_DECL__JAVA_CLASS);
        String name = job.getAlias() != null ? job.getAlias() : className.substring(className.lastIndexOf('.') + 1);
        String unique = name;
        for (int k = 2; !jobNames.add(unique); k++) {
          unique = name + k;
        }
        jobs.add(new JobNode(unique, className, arguments, deps, locate(job)));
      }
      List<RuntimeKey> rk = new ArrayList<>(runtimeKeys.values());
      rk.sort((a, b) -> a.name().compareTo(b.name()));
      List<ConfigureKey> ck = new ArrayList<>(configureKeys.values());
      ck.sort((a, b) -> a.name().compareTo(b.name()));
      UnikernelModel model =
          new UnikernelModel(
              unikernel.getName(),
              platform,
              locator.fileName(main),
              ck,
              rk,
              deviceNodes,
              jobs,
              new ArrayList<>(artifacts),
              locate(unikernel));
      return new Result(Optional.of(model));
    }

    /** The target as the model carries it; null (with a problem) when its kind is unknown. */
    Platform platform(TargetDecl t, String arch) {
      String word = t.getKind() == null ? TargetKind.PROCESS.word() : t.getKind();
      Optional<TargetKind> kind = TargetKind.of(word);
      if (kind.isEmpty()) {
        error(Code.TARGET, t,
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
        error(Code.TARGET, t,
                MiragePackage.Literals.TARGET_DECL__ARCHES,
                "guest target '" + t.getName() + "' does not say the kernel image format of " + arch
                    + "; write it after the architecture, e.g. arch " + arch + " (Image)");
        return null;
      }
      return new Platform(t.getName(), kind.get(), arch, image);
    }

    // -------------------------------------------------------------- configure keys

    void resolveConfigureKeys(EObject anchor) {
      List<KeyDecl> keys = Visible.keys(file);
      Map<String, KeyDecl> configure = new LinkedHashMap<>();
      for (KeyDecl k : keys) {
        if (k.getStage() == KeyStage.CONFIGURE) {
          configure.put(k.getName(), k);
        }
      }
      for (Map.Entry<String, String> e : keyTexts.entrySet()) {
        KeyDecl k = configure.get(e.getKey());
        if (k == null) {
          boolean runtime = keys.stream().anyMatch(x -> x.getName().equals(e.getKey()));
          error(Code.COMMAND_LINE, anchor,
                  MiragePackage.Literals.UNIKERNEL__NAME,
                  runtime
                      ? "'" + e.getKey() + "' is a runtime key: give it to the generated program (--"
                          + e.getKey().replace('_', '-') + "=" + e.getValue() + "), not at configure time"
                      : "unknown configure key '" + e.getKey() + "'"
                          + DidYouMean.hint(e.getKey(), configure.keySet())
                          + (configure.isEmpty() ? "" : " (configure keys: " + String.join(", ", configure.keySet()) + ")"));
        }
      }
      for (KeyDecl k : configure.values()) {
        Optional<ValueType> type = types.valueType(k.getType());
        if (type.isEmpty()) {
          continue;
        }
        String text = keyTexts.get(k.getName());
        Value value = null;
        boolean fromUser = false;
        if (text != null) {
          Parsed<Value> r = KeyValueText.parse(type.get(), text);
          if (r.problem() != null) {
            error(Code.COMMAND_LINE, anchor,
                    MiragePackage.Literals.UNIKERNEL__NAME,
                    "configure key '" + k.getName() + "': " + r.problem());
            continue;
          }
          value = r.value();
          fromUser = true;
        } else if (k.getDefault() != null) {
          Parsed<Value> r = constants.of(k.getDefault(), type.get());
          value = r.value(); // a bad default is reported by the validator
        }
        if (value == null) {
          if (k.isRequired()) {
            error(Code.COMMAND_LINE, anchor,
                    MiragePackage.Literals.UNIKERNEL__NAME,
                    "configure key '" + k.getName() + "' is required; give it a value, e.g. -Dmirage.keys="
                        + k.getName() + "=VALUE or mirage configure --" + k.getName() + "=VALUE");
          }
          continue;
        }
        configureValues.put(k, value);
        configureKeys.put(
            k.getName(),
            new ConfigureKey(k.getName(), value, fromUser, k.getDoc() == null ? "" : k.getDoc(), locate(k)));
      }
    }

    // -------------------------------------------------------------- evaluation

    V eval(Expr expr, Map<Param, V> env) {
      if (expr == null) {
        return null;
      }
      boolean inMain = expr.eResource() == main;
      if (inMain) {
        sites.push(expr);
      }
      try {
        return force(evalIn(expr, env));
      } finally {
        if (inMain) {
          sites.pop();
        }
      }
    }

    EObject site() {
      return sites.isEmpty() ? file : sites.peek();
    }

    private V evalIn(Expr expr, Map<Param, V> env) {
      if (expr instanceof Literal || expr instanceof ListExpr) {
        Ty t = types.typeOf(expr);
        if (t instanceof Ty.Val v) {
          Parsed<Value> r = constants.of(expr, v.type());
          return r.value() == null ? null : new ConstV(r.value(), null);
        }
        return null; // e.g. an empty list: typed by where it is used, in constantFor
      }
      if (expr instanceof MatchExpr m) {
        return evalMatch(m, env);
      }
      if (expr instanceof RefExpr r) {
        return evalRef(r, env);
      }
      return null;
    }

    private V evalMatch(MatchExpr m, Map<Param, V> env) {
      String label;
      String what;
      if (m.isOnTarget()) {
        label = targetName;
        what = "target '" + targetName + "'";
      } else {
        KeyDecl key = m.getKey();
        if (key == null || key.eIsProxy()) {
          return null;
        }
        Value v = configureValues.get(key);
        if (v == null) {
          return null; // runtime key or missing value: reported elsewhere
        }
        label = v.display();
        what = key.getName() + "=" + label;
      }
      for (MatchCase c : m.getCases()) {
        if (c.getLabels().contains(label)) {
          return eval(c.getValue(), env);
        }
      }
      if (m.getDefault() != null) {
        return eval(m.getDefault(), env);
      }
      report(Code.TYPE, siteOr(m),
              null,
              "match has no case for " + what + " and no default; add '" + label + " -> ...' or 'default -> ...'");
      return null;
    }

    private EObject siteOr(EObject fallback) {
      return fallback.eResource() == main ? fallback : site();
    }

    /** Reports an error. */
    private void error(Code code, EObject where, EStructuralFeature feature, String message) {
      errors = true;
      reporter.report(Diagnostic.Severity.ERROR, code, where, feature, message);
    }

    /** Reports a warning: lowering goes on. */
    private void warning(Code code, EObject where, EStructuralFeature feature, String message) {
      reporter.report(Diagnostic.Severity.WARNING, code, where, feature, message);
    }

    /** Reports an error once per position and message (a device function expands many times). */
    private void report(Code code, EObject where, EStructuralFeature feature, String message) {
      SourceLocation at = locate(where);
      if (reportedSites.add(at + message)) {
        error(code, where, feature, message);
      }
    }

    /** A job class that is not there at all may only be not compiled yet. */
    private Code jobCode(JobDecl job) {
      return job.getJavaClass() == null || job.getJavaClass().eIsProxy() ? Code.JOB_CLASS_MISSING : Code.JAVA_CLASS;
    }

    private V evalRef(RefExpr r, Map<Param, V> env) {
      Named ref = r.getRef();
      if (ref == null || ref.eIsProxy()) {
        return null;
      }
      if (ref instanceof Param p) {
        return force(env.get(p));
      }
      if (ref instanceof ChoiceValue c) {
        Ty t = types.typeOfNamed(c);
        return t instanceof Ty.Val v ? new ConstV(new Value.ChoiceValue((ValueType.Choice) v.type(), c.getName()), null) : null;
      }
      if (ref instanceof KeyDecl k) {
        if (k.getStage() == KeyStage.CONFIGURE) {
          Value v = configureValues.get(k);
          return v == null ? null : new ConstV(v, k.getName());
        }
        return new KeyV(k, r.getGroup());
      }
      if (ref instanceof DeviceDecl d) {
        if (d.getParams().isEmpty()) {
          return evalDevice(d);
        }
        Map<Param, V> inner = bind(d.getParams(), r, env, true);
        if (inner == null) {
          return null;
        }
        return eval(d.getValue(), inner);
      }
      if (ref instanceof DriverDecl d) {
        return apply(d, r, env);
      }
      return null;
    }

    private V evalDevice(DeviceDecl d) {
      if (deviceValues.containsKey(d)) {
        return deviceValues.get(d);
      }
      if (!evaluating.add(d)) {
        return null; // a cycle, reported by the validator
      }
      V v;
      try {
        v = eval(d.getValue(), Map.of());
      } finally {
        evaluating.remove(d);
      }
      deviceValues.put(d, v);
      if (v instanceof DevV dev && d.eResource() != main && dev.node().preferredName == null) {
        dev.node().preferredName = d.getName(); // a library's name, until the user names it
      } else if (v instanceof DevV dev && d.eResource() == main) {
        NodeBuilder n = dev.node();
        if (n.preferredName == null || !n.namedByUser) {
          n.preferredName = d.getName();
          n.namedByUser = true;
        } else if (!n.preferredName.equals(d.getName())) {
          n.args.stream()
              .filter(KeyV.class::isInstance)
              .map(KeyV.class::cast)
              .findFirst()
              .ifPresent(
                  k ->
                      report(Code.KEY, d,
                              MiragePackage.Literals.NAMED__NAME,
                              "devices '" + n.preferredName + "' and '" + d.getName() + "' are the same "
                                  + n.driver.getName() + " and would share the runtime key --" + optionName(k)
                                  + "; give each its own group, e.g. " + k.key().getName() + "@" + d.getName()));
        }
      }
      return v;
    }

    /** Binds the arguments of a call to the callee's parameters, defaults filling the rest. */
    private Map<Param, V> bind(List<Param> params, RefExpr call, Map<Param, V> env, boolean lazy) {
      Map<Param, V> bound = new HashMap<>();
      int position = 0;
      for (Arg a : call.getArgs()) {
        Param p;
        if (a.getName() != null) {
          p = params.stream().filter(x -> a.getName().equals(x.getName())).findFirst().orElse(null);
        } else {
          p = position < params.size() ? params.get(position) : null;
          position++;
        }
        if (p == null) {
          return null; // reported by the validator
        }
        V v = lazy ? new Thunk(a.getValue(), p, env) : constantFor(a.getValue(), p, env);
        if (v == null) {
          return null;
        }
        bound.put(p, v);
      }
      for (Param p : params) {
        if (!bound.containsKey(p)) {
          if (p.getDefault() == null) {
            return null; // reported by the validator
          }
          V v = constantFor(p.getDefault(), p, Map.of());
          if (v == null) {
            return null;
          }
          bound.put(p, v);
        }
      }
      return bound;
    }

    /** The value of a possibly lazy argument. */
    private V force(V v) {
      if (v instanceof Thunk t) {
        if (!t.forced) {
          t.forced = true;
          t.value = force(constantFor(t.expr, t.param, t.env));
        }
        return t.value;
      }
      return v;
    }

    /** Evaluates an argument, typing literals by the parameter they are passed to. */
    private V constantFor(Expr value, Param p, Map<Param, V> env) {
      if ((value instanceof Literal || value instanceof ListExpr) && types.typeOf(p.getType()) instanceof Ty.Val t) {
        Parsed<Value> r = constants.of(value, t.type());
        return r.value() == null ? null : new ConstV(r.value(), null);
      }
      if (value instanceof RefExpr ref
          && ref.getRef() instanceof ChoiceValue c
          && types.typeOf(p.getType()) instanceof Ty.Val t
          && t.type() instanceof ValueType.Choice choice
          && choice.values().contains(c.getName())) {
        return new ConstV(new Value.ChoiceValue(choice, c.getName()), null);
      }
      return eval(value, env);
    }

    private V apply(DriverDecl d, RefExpr call, Map<Param, V> env) {
      if (!d.getTargets().isEmpty()
          && d.getTargets().stream().noneMatch(t -> !t.eIsProxy() && targetName.equals(t.getName()))) {
        String on = d.getTargets().stream().filter(t -> !t.eIsProxy()).map(TargetDecl::getName).collect(Collectors.joining(", "));
        EObject at = siteOr(call);
        String via = at == call ? "" : " (used by " + text(at) + ")";
        report(Code.MISSING_DRIVER, at,
                null,
                "driver '" + d.getName() + "' has no implementation on target '" + targetName + "'" + via
                    + "; it exists on: " + on);
        return null;
      }
      Map<Param, V> bound = bind(d.getParams(), call, env, false);
      if (bound == null) {
        return null;
      }
      List<V> args = new ArrayList<>();
      StringBuilder identity = new StringBuilder(d.getName()).append('(');
      for (Param p : d.getParams()) {
        V v = force(bound.get(p));
        if (v == null) {
          return null;
        }
        args.add(v);
        identity.append(identity(v)).append(',');
      }
      identity.append(')');
      String key = identity.toString();
      NodeBuilder existing = nodes.get(key);
      if (existing != null) {
        return new DevV(existing);
      }
      NodeBuilder n = new NodeBuilder(d, d.getParams(), args, siteOr(call), key);
      for (HostResource res : d.getResources()) {
        V v = eval(res.getValue(), bound);
        if (v instanceof ConstV c && c.value() instanceof Value.StringValue s) {
          n.resources.add(
              switch (res.getKind()) {
                case VIF -> new org.mirage4j.model.HostResource.Vif(s.value());
                case DISK -> new org.mirage4j.model.HostResource.Disk(s.value());
                case EMBED -> new org.mirage4j.model.HostResource.Embed(s.value());
              });
        } else if (v != null && res.getKind() == HostResourceKind.EMBED) {
          report(Code.RESOURCE, siteOr(res),
                  null,
                  "driver '" + d.getName() + "' embeds its directory in the build, so the directory must be"
                      + " known at build time: give a constant string, not a runtime key, or read the files"
                      + " at run time with a driver that does (std's kv_ro(dir) does with the configure key"
                      + " kv_ro=direct)");
        } else if (v != null) {
          report(Code.RESOURCE, siteOr(res),
                  null,
                  "driver '" + d.getName() + "' needs a " + res.getKind().getLiteral()
                      + " named by a constant string; a runtime key cannot name a host resource");
        }
      }
      nodes.put(key, n);
      return new DevV(n);
    }

    private String identity(V v) {
      if (v instanceof DevV d) {
        return "#" + d.node().identity;
      }
      if (v instanceof ConstV c) {
        return c.value().type().display() + ":" + c.value().display().replace(",", "\\,");
      }
      if (v instanceof KeyV k) {
        // by declaration, not by option: two keys that would be one option are a clash, not one device
        return "key:" + keyText(k);
      }
      return "?";
    }

    /** Drops devices that no job reaches (created by a shared device's unused argument). */
    private void prune(List<List<V>> jobArgs) {
      Set<NodeBuilder> reachable = new HashSet<>();
      Deque<NodeBuilder> todo = new ArrayDeque<>();
      for (List<V> args : jobArgs) {
        for (V v : args) {
          if (v instanceof DevV d && reachable.add(d.node())) {
            todo.push(d.node());
          }
        }
      }
      while (!todo.isEmpty()) {
        for (V v : todo.pop().args) {
          if (v instanceof DevV d && reachable.add(d.node())) {
            todo.push(d.node());
          }
        }
      }
      nodes.values().removeIf(n -> !reachable.contains(n));
    }

    // -------------------------------------------------------------- runtime keys

    Map<String, RuntimeKey> collectRuntimeKeys(List<JobDecl> jobs, List<List<V>> jobArgs) {
      Map<String, RuntimeKey> keys = new LinkedHashMap<>();
      Map<String, KeyV> declOf = new HashMap<>();
      for (NodeBuilder n : nodes.values()) {
        for (int i = 0; i < n.args.size(); i++) {
          if (n.args.get(i) instanceof KeyV k) {
            addKey(keys, declOf, k, n.site);
          }
        }
      }
      for (int j = 0; j < jobs.size(); j++) {
        for (V v : jobArgs.get(j)) {
          if (v instanceof KeyV k) {
            addKey(keys, declOf, k, jobs.get(j));
          }
        }
      }
      // an alias names one option only: not another option, not another option's alias
      Map<String, String> owner = new HashMap<>();
      keys.keySet().forEach(name -> owner.put(name, name));
      for (Map.Entry<String, RuntimeKey> e : keys.entrySet()) {
        for (String alias : e.getValue().aliases()) {
          String other = owner.putIfAbsent(alias, e.getKey());
          if (other != null && !other.equals(e.getKey())) {
            report(Code.KEY, declOf.get(e.getKey()).key(), MiragePackage.Literals.KEY_DECL__ALIASES,
                "alias " + (alias.length() == 1 ? "-" : "--") + alias + " of option --" + e.getKey()
                    + " is also " + (other.equals(alias) ? "an option" : "an alias of option --" + other)
                    + " of this program; choose another");
          }
        }
      }
      return keys;
    }

    private String suggestGroup(NodeBuilder n) {
      return n.preferredName != null ? n.preferredName : n.driver.getName() + "1";
    }

    private void addKey(Map<String, RuntimeKey> keys, Map<String, KeyV> declOf, KeyV k, EObject site) {
      String name = optionName(k);
      KeyV previous = declOf.putIfAbsent(name, k);
      if (previous != null && !keyText(previous).equals(keyText(k))) {
        report(Code.KEY, siteOr(site),
                null,
                "runtime keys '" + keyText(previous) + "' and '" + keyText(k)
                    + "' would both be the option --" + name + "; rename one or use another group");
        return;
      }
      if (keys.containsKey(name)) {
        return;
      }
      Optional<ValueType> type = types.valueType(k.key().getType());
      if (type.isEmpty()) {
        return;
      }
      Optional<Value> def = Optional.empty();
      if (k.key().getDefault() != null) {
        def = Optional.ofNullable(constants.of(k.key().getDefault(), type.get()).value());
      }
      keys.put(
          name,
          new RuntimeKey(
              name,
              type.get(),
              def,
              k.key().isRequired(),
              k.key().getDoc() == null ? "" : k.key().getDoc(),
              locate(k.key()),
              aliases(k)));
    }

    /**
     * A runtime key's other option names: as written ({@code _} as {@code -}); in a group the long
     * ones get the group's prefix, as the name does, and the short ones (one letter) are left out,
     * since every group would want the same letter.
     */
    private List<String> aliases(KeyV k) {
      List<String> out = new ArrayList<>();
      for (String a : k.key().getAliases()) {
        if (a == null) {
          continue; // a syntax error, reported by the parser
        }
        String base = a.replace('_', '-');
        if (k.group() == null) {
          out.add(base);
        } else if (base.length() > 1) {
          out.add(k.group().replace('_', '-') + "-" + base);
        }
      }
      return out;
    }

    /** {@code interface} or {@code interface@net0}. */
    private String keyText(KeyV k) {
      return k.key().getName() + (k.group() == null ? "" : "@" + k.group());
    }

    private String optionName(KeyV k) {
      String base = k.key().getName().replace('_', '-');
      return k.group() == null ? base : k.group().replace('_', '-') + "-" + base;
    }

    // -------------------------------------------------------------- model building

    private void assignIds() {
      Set<String> used = new HashSet<>();
      for (NodeBuilder n : nodes.values()) {
        String base = n.preferredName != null ? n.preferredName : n.driver.getName();
        base = base.replaceAll("[^A-Za-z0-9_]", "_");
        String id = base;
        for (int k = 2; !used.add(id); k++) {
          id = base + "_" + k;
        }
        n.id = id;
      }
    }

    private Argument argument(String param, V v, List<String> deps) {
      if (v instanceof DevV d) {
        if (!deps.contains(d.node().id)) {
          deps.add(d.node().id);
        }
        return new Argument.DeviceArg(param, d.node().id);
      }
      if (v instanceof KeyV k) {
        return new Argument.RuntimeKeyArg(param, optionName(k));
      }
      ConstV c = (ConstV) v;
      return new Argument.ConstantArg(param, c.value(), c.configureKey());
    }

    private String displayName(NodeBuilder n) {
      if (n.preferredName != null) {
        return n.preferredName;
      }
      StringBuilder sb = new StringBuilder(n.driver.getName()).append('(');
      for (int i = 0; i < n.args.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        V v = n.args.get(i);
        if (v instanceof DevV d) {
          sb.append(d.node().preferredName != null ? d.node().preferredName : d.node().driver.getName());
        } else if (v instanceof KeyV k) {
          sb.append(k.key().getName()).append(k.group() == null ? "" : "@" + k.group());
        } else if (v instanceof ConstV c) {
          sb.append(c.value() instanceof Value.StringValue s ? "\"" + s.value() + "\"" : c.value().display());
        }
      }
      return sb.append(')').toString();
    }

    private Optional<Artifact> artifact(DriverDecl d) {
      if (d.getArtifact() == null) {
        return Optional.empty();
      }
      String[] parts = d.getArtifact().split(":");
      if (parts.length < 2 || parts.length > 3) {
        return Optional.empty(); // reported by the validator
      }
      return Optional.of(new Artifact(parts[0], parts[1], parts.length == 3 ? parts[2] : ""));
    }

    SourceLocation locate(EObject obj) {
      return locator.locate(obj, null);
    }

    private String text(EObject obj) {
      org.eclipse.xtext.nodemodel.ICompositeNode node =
          org.eclipse.xtext.nodemodel.util.NodeModelUtils.findActualNodeFor(obj);
      return node == null ? "?" : org.eclipse.xtext.nodemodel.util.NodeModelUtils.getTokenText(node);
    }

    // -------------------------------------------------------------- Java types

    private void checkJava(List<JobDecl> jobs, List<List<V>> jobArgs) {
      Set<DriverDecl> checked = new HashSet<>();
      for (NodeBuilder n : nodes.values()) {
        if (checked.add(n.driver)) {
          for (String message : javaChecks.checkDriver(n.driver, types)) {
            report(message.contains(Diagnostic.ADD_DEPENDENCY) ? Code.MISSING_DEPENDENCY : Code.JAVA_CLASS,
                n.site, null, message);
          }
        }
      }
      for (int j = 0; j < jobs.size(); j++) {
        List<String> argTypes = new ArrayList<>();
        for (V v : jobArgs.get(j)) {
          argTypes.add(javaTypeOf(v));
        }
        for (String message : javaChecks.checkJob(jobs.get(j), argTypes)) {
          report(jobCode(jobs.get(j)), jobs.get(j), MiragePackage.Literals.JOB_DECL__JAVA_CLASS, message);
        }
      }
    }

    private String javaTypeOf(V v) {
      if (v instanceof DevV d) {
        return JavaNames.of(d.node().driver.getType(), MiragePackage.Literals.TYPE_DECL__JAVA_TYPE);
      }
      if (v instanceof KeyV k) {
        return types.valueType(k.key().getType()).map(JavaNames::of).orElse(null);
      }
      if (v instanceof ConstV c) {
        return JavaNames.of(c.value().type());
      }
      return null;
    }
  }
}
