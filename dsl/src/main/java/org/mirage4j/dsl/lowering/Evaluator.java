package org.mirage4j.dsl.lowering;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.mirage4j.dsl.mirage.Arg;
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
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.mirage.Named;
import org.mirage4j.dsl.mirage.Param;
import org.mirage4j.dsl.mirage.RefExpr;
import org.mirage4j.dsl.mirage.TargetDecl;
import org.mirage4j.dsl.typing.Constants;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.dsl.typing.Parsed;
import org.mirage4j.dsl.typing.Ty;
import org.mirage4j.model.Diagnostic.Code;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/**
 * The evaluation phase of lowering: the jobs' arguments for one target and the configure keys'
 * values. A {@code match} picks its branch by the target or a configure key (other branches are
 * never evaluated, so a driver that does not exist on the target is only a problem when it is
 * chosen), device functions expand at their call sites with lazily evaluated arguments, and every
 * driver application becomes a {@link Node}: two applications of the same driver to the same
 * arguments are the same node, as in Functoria. Nodes are created after their arguments, so they
 * come out in dependency order.
 *
 * <p>Problems are reported at the innermost position in the user's file that led to them (for an
 * expression of an imported file or the standard library, where the user's file used it).
 */
final class Evaluator {

  /** The configure keys' values: {@code group} is {@code null} for the key itself. */
  interface ConfigureValues {
    /** The value of {@code key} in {@code group}, or {@code null} if it has none (reported). */
    Value value(KeyDecl key, String group);
  }

  private final MirageTypes types;
  private final Constants constants;
  private final MirageFile file;
  private final Resource main;
  private final String targetName;
  private final ConfigureValues configureValues;
  private final Report report;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final Map<DeviceDecl, Evaluated> deviceValues = new HashMap<>();
  private final Set<DeviceDecl> evaluating = new HashSet<>();
  private final Deque<EObject> sites = new ArrayDeque<>();
  /** The group the keys being read are in: that of the device function being expanded, if any. */
  private String group;
  /** How many keys each group was given to, by inheritance. */
  private final Map<String, Integer> groupsRead = new HashMap<>();

  /**
   * An evaluator of {@code file}'s expressions.
   *
   * @param targetName the target a {@code match target} chooses by
   * @param configureValues the configure keys' values
   */
  Evaluator(
      MirageTypes types, Constants constants, MirageFile file, String targetName,
      ConfigureValues configureValues, Report report) {
    this.types = types;
    this.constants = constants;
    this.file = file;
    this.main = file.eResource();
    this.targetName = targetName;
    this.configureValues = configureValues;
    this.report = report;
  }

  /**
   * A job's arguments, in order; {@code null} for one that has no value on this target (its
   * problem is reported, here or by the checker).
   */
  List<Evaluated> evaluateJob(JobDecl job) {
    List<Evaluated> args = new ArrayList<>();
    for (Arg a : job.getArgs()) {
      sites.push(a);
      try {
        args.add(eval(a.getValue(), Map.of()));
      } finally {
        sites.pop();
      }
    }
    return args;
  }

  /**
   * The nodes the jobs reach, in dependency order. A node no job reaches (made for a shared
   * device's argument that was not used) is left out.
   */
  List<Node> nodesReachedBy(List<List<Evaluated>> jobArgs) {
    Set<Node> reachable = new HashSet<>();
    Deque<Node> todo = new ArrayDeque<>();
    for (List<Evaluated> args : jobArgs) {
      for (Evaluated v : args) {
        if (v instanceof Evaluated.Device d && reachable.add(d.node())) {
          todo.push(d.node());
        }
      }
    }
    while (!todo.isEmpty()) {
      for (Evaluated v : todo.pop().args) {
        if (v instanceof Evaluated.Device d && reachable.add(d.node())) {
          todo.push(d.node());
        }
      }
    }
    return nodes.values().stream().filter(reachable::contains).toList();
  }

  /** Evaluates an expression in an environment (the arguments of the device functions it is in). */
  private Evaluated eval(Expr expr, Map<Param, Evaluated> env) {
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

  /**
   * The group a key without one of its own is read in: that of the device function application
   * being expanded, for a key declared {@code grouped}.
   */
  private String inherited(KeyDecl key) {
    if (group == null || !key.isGrouped()) {
      return null;
    }
    groupsRead.merge(group, 1, Integer::sum);
    return group;
  }

  /** The innermost expression of the user's file being evaluated (the file, outside of one). */
  private EObject site() {
    return sites.isEmpty() ? file : sites.peek();
  }

  private Evaluated evalIn(Expr expr, Map<Param, Evaluated> env) {
    if (expr instanceof Literal || expr instanceof ListExpr) {
      Ty t = types.typeOf(expr);
      if (t instanceof Ty.Val v) {
        Parsed<Value> r = constants.of(expr, v.type());
        return r.value() == null ? null : new Evaluated.Constant(r.value(), null);
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

  private Evaluated evalMatch(MatchExpr m, Map<Param, Evaluated> env) {
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
      String g = m.getGroup() != null ? m.getGroup() : inherited(key);
      Value v = configureValues.value(key, g);
      if (v == null) {
        return null; // runtime key or missing value: reported elsewhere
      }
      label = v.display();
      what = (g == null ? key.getName() : ConfigureKeys.groupedName(g, key.getName())) + "=" + label;
    }
    for (MatchCase c : m.getCases()) {
      if (c.getLabels().contains(label)) {
        return eval(c.getValue(), env);
      }
    }
    if (m.getDefault() != null) {
      return eval(m.getDefault(), env);
    }
    report.once(Code.TYPE, siteOr(m),
            null,
            "match has no case for " + what + " and no default; add '" + ValueType.Choice.show(label) + " -> ...' or 'default -> ...'");
    return null;
  }

  /** {@code fallback} if it is in the user's file, otherwise where the user's file led to it. */
  private EObject siteOr(EObject fallback) {
    return fallback.eResource() == main ? fallback : site();
  }

  private Evaluated evalRef(RefExpr r, Map<Param, Evaluated> env) {
    Named ref = r.getRef();
    if (ref == null || ref.eIsProxy()) {
      return null;
    }
    if (ref instanceof Param p) {
      return force(env.get(p));
    }
    if (ref instanceof ChoiceValue c) {
      Ty t = types.typeOfNamed(c);
      return t instanceof Ty.Val v ? new Evaluated.Constant(new Value.ChoiceValue((ValueType.Choice) v.type(), c.getName()), null) : null;
    }
    if (ref instanceof KeyDecl k) {
      String g = r.getGroup() != null ? r.getGroup() : inherited(k);
      if (k.getStage() == KeyStage.CONFIGURE) {
        Value v = configureValues.value(k, g);
        return v == null ? null : new Evaluated.Constant(v, g == null ? k.getName() : ConfigureKeys.groupedName(g, k.getName()));
      }
      return new Evaluated.Key(k, g);
    }
    if (ref instanceof DeviceDecl d) {
      if (d.getParams().isEmpty()) {
        return evalDevice(d);
      }
      // the arguments are the caller's, read in its group; the body reads its grouped keys in the
      // call's group (kv_ro@data("htdocs")), or else in the caller's
      String callee = r.getGroup() != null ? r.getGroup() : group;
      Map<Param, Evaluated> inner = bind(d.getParams(), r, env, true, callee);
      if (inner == null) {
        return null;
      }
      String outer = group;
      group = callee;
      int readBefore = groupsRead.getOrDefault(callee, 0);
      try {
        return eval(d.getValue(), inner);
      } finally {
        group = outer;
        if (r.getGroup() != null && groupsRead.getOrDefault(callee, 0) == readBefore) {
          report.warningOnce(Code.KEY, siteOr(r), MiragePackage.Literals.REF_EXPR__GROUP,
              "the group '" + callee + "' changes nothing here: '" + d.getName() + "' reads no key declared"
                  + " 'grouped' (std's kv_ro is); give the group to a key instead, e.g. key@" + callee);
        }
      }
    }
    if (ref instanceof DriverDecl d) {
      return apply(d, r, env);
    }
    return null;
  }

  private Evaluated evalDevice(DeviceDecl d) {
    if (deviceValues.containsKey(d)) {
      return deviceValues.get(d);
    }
    if (!evaluating.add(d)) {
      return null; // a cycle, reported by the validator
    }
    Evaluated v;
    String outer = group;
    group = null; // a named device is one device, whatever group it is used from
    try {
      v = eval(d.getValue(), Map.of());
    } finally {
      evaluating.remove(d);
      group = outer;
    }
    deviceValues.put(d, v);
    if (v instanceof Evaluated.Device dev && d.eResource() != main && dev.node().preferredName == null) {
      dev.node().preferredName = d.getName(); // a library's name, until the user names it
    } else if (v instanceof Evaluated.Device dev && d.eResource() == main) {
      Node n = dev.node();
      if (n.preferredName == null || !n.namedByUser) {
        n.preferredName = d.getName();
        n.namedByUser = true;
      } else if (!n.preferredName.equals(d.getName())) {
        n.args.stream()
            .filter(Evaluated.Key.class::isInstance)
            .map(Evaluated.Key.class::cast)
            .findFirst()
            .ifPresent(
                k ->
                    report.once(Code.KEY, d,
                            MiragePackage.Literals.NAMED__NAME,
                            "devices '" + n.preferredName + "' and '" + d.getName() + "' are the same "
                                + n.driver.getName() + " and would share the runtime key --" + k.optionName()
                                + "; give each its own group, e.g. " + k.key().getName() + "@" + d.getName()));
      }
    }
    return v;
  }

  /**
   * Binds the arguments of a call to the callee's parameters, defaults filling the rest: the
   * arguments in the caller's group, the defaults in {@code calleeGroup}.
   */
  private Map<Param, Evaluated> bind(
      List<Param> params, RefExpr call, Map<Param, Evaluated> env, boolean lazy, String calleeGroup) {
    Map<Param, Evaluated> bound = new HashMap<>();
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
      Evaluated v = lazy ? new Evaluated.Lazy(a.getValue(), p, env, group) : constantFor(a.getValue(), p, env);
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
        String outer = group;
        group = calleeGroup;
        Evaluated v;
        try {
          v = constantFor(p.getDefault(), p, Map.of());
        } finally {
          group = outer;
        }
        if (v == null) {
          return null;
        }
        bound.put(p, v);
      }
    }
    return bound;
  }

  /** The value of a possibly lazy argument. */
  private Evaluated force(Evaluated v) {
    if (v instanceof Evaluated.Lazy t) {
      if (!t.forced) {
        t.forced = true;
        String outer = group;
        group = t.group;
        try {
          t.value = force(constantFor(t.expr, t.param, t.env));
        } finally {
          group = outer;
        }
      }
      return t.value;
    }
    return v;
  }

  /** Evaluates an argument, typing literals by the parameter they are passed to. */
  private Evaluated constantFor(Expr value, Param p, Map<Param, Evaluated> env) {
    if ((value instanceof Literal || value instanceof ListExpr) && types.typeOf(p.getType()) instanceof Ty.Val t) {
      Parsed<Value> r = constants.of(value, t.type());
      return r.value() == null ? null : new Evaluated.Constant(r.value(), null);
    }
    if (value instanceof RefExpr ref
        && ref.getRef() instanceof ChoiceValue c
        && types.typeOf(p.getType()) instanceof Ty.Val t
        && t.type() instanceof ValueType.Choice choice
        && choice.values().contains(c.getName())) {
      return new Evaluated.Constant(new Value.ChoiceValue(choice, c.getName()), null);
    }
    return eval(value, env);
  }

  /** A driver applied to its arguments: a node, the same one for the same arguments. */
  private Evaluated apply(DriverDecl d, RefExpr call, Map<Param, Evaluated> env) {
    if (!d.getTargets().isEmpty()
        && d.getTargets().stream().noneMatch(t -> !t.eIsProxy() && targetName.equals(t.getName()))) {
      String on = d.getTargets().stream().filter(t -> !t.eIsProxy()).map(TargetDecl::getName).collect(Collectors.joining(", "));
      EObject at = siteOr(call);
      String via = at == call ? "" : " (used by " + text(at) + ")";
      report.once(Code.MISSING_DRIVER, at,
              null,
              "driver '" + d.getName() + "' has no implementation on target '" + targetName + "'" + via
                  + "; it exists on: " + on);
      return null;
    }
    Map<Param, Evaluated> bound = bind(d.getParams(), call, env, false, group);
    if (bound == null) {
      return null;
    }
    List<Evaluated> args = new ArrayList<>();
    StringBuilder identity = new StringBuilder(d.getName()).append('(');
    for (Param p : d.getParams()) {
      Evaluated v = force(bound.get(p));
      if (v == null) {
        return null;
      }
      args.add(v);
      identity.append(identity(v)).append(',');
    }
    identity.append(')');
    String key = identity.toString();
    Node existing = nodes.get(key);
    if (existing != null) {
      return new Evaluated.Device(existing);
    }
    Node n = new Node(d, d.getParams(), args, siteOr(call), key);
    for (HostResource res : d.getResources()) {
      Evaluated v = eval(res.getValue(), bound);
      if (v instanceof Evaluated.Constant c && c.value() instanceof Value.StringValue s) {
        n.resources.add(
            switch (res.getKind()) {
              case VIF -> new org.mirage4j.model.HostResource.Vif(s.value());
              case DISK -> new org.mirage4j.model.HostResource.Disk(s.value());
              case EMBED -> new org.mirage4j.model.HostResource.Embed(s.value());
            });
      } else if (v != null && res.getKind() == HostResourceKind.EMBED) {
        report.once(Code.RESOURCE, siteOr(res),
                null,
                "driver '" + d.getName() + "' embeds its directory in the build, so the directory must be"
                    + " known at build time: give a constant string, not a runtime key, or read the files"
                    + " at run time with a driver that does (std's kv_ro(dir) does with the configure key"
                    + " kv_ro=direct)");
      } else if (v != null) {
        report.once(Code.RESOURCE, siteOr(res),
                null,
                "driver '" + d.getName() + "' needs a " + res.getKind().getLiteral()
                    + " named by a constant string; a runtime key cannot name a host resource");
      }
    }
    nodes.put(key, n);
    return new Evaluated.Device(n);
  }

  private static String identity(Evaluated v) {
    if (v instanceof Evaluated.Device d) {
      return "#" + d.node().identity;
    }
    if (v instanceof Evaluated.Constant c) {
      return c.value().type().display() + ":" + c.value().display().replace(",", "\\,");
    }
    if (v instanceof Evaluated.Key k) {
      // by declaration, not by option: two keys that would be one option are a clash, not one device
      return "key:" + k.text();
    }
    return "?";
  }

  private static String text(EObject obj) {
    ICompositeNode node = NodeModelUtils.findActualNodeFor(obj);
    return node == null ? "?" : NodeModelUtils.getTokenText(node);
  }
}
