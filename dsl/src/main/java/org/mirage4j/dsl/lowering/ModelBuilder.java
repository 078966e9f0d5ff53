package org.mirage4j.dsl.lowering;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.mirage4j.dsl.SourceLocator;
import org.mirage4j.dsl.javatypes.JavaNames;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.mirage.Unikernel;
import org.mirage4j.model.Argument;
import org.mirage4j.model.Artifact;
import org.mirage4j.model.ConfigureKey;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.JobNode;
import org.mirage4j.model.Platform;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;

/**
 * The last phase of lowering: the evaluated nodes and jobs, the keys and the platform as the plain
 * {@link UnikernelModel} the generator reads. Nodes get their ids (the device's name, else the
 * driver's, made unique), their display names and the Maven artifacts of their drivers; jobs get
 * unique names; keys are sorted by name.
 */
final class ModelBuilder {

  private final SourceLocator locator;

  /** A builder whose positions are shown by {@code locator}. */
  ModelBuilder(SourceLocator locator) {
    this.locator = locator;
  }

  /**
   * The model.
   *
   * @param nodes the nodes the jobs reach, in dependency order
   * @param jobArgs each job's arguments, none missing
   */
  UnikernelModel build(
      Unikernel unikernel, Platform platform, List<Node> nodes, List<JobDecl> jobDecls,
      List<List<Evaluated>> jobArgs, Collection<ConfigureKey> configureKeys, Collection<RuntimeKey> runtimeKeys) {
    assignIds(nodes);
    // the Java names of a driver and of its type, worked out once per driver, not once per node
    Map<DriverDecl, String[]> javaNames = new IdentityHashMap<>();
    List<DeviceNode> deviceNodes = new ArrayList<>();
    Set<Artifact> artifacts = new TreeSet<>();
    for (Node n : nodes) {
      List<Argument> arguments = new ArrayList<>();
      List<String> deps = new ArrayList<>();
      for (int i = 0; i < n.args.size(); i++) {
        arguments.add(argument(n.params.get(i).getName(), n.args.get(i), deps));
      }
      artifact(n.driver).ifPresent(artifacts::add);
      String[] java = javaNames.computeIfAbsent(n.driver, d -> new String[] {
          JavaNames.of(d.getType(), MiragePackage.Literals.TYPE_DECL__JAVA_TYPE),
          JavaNames.of(d, MiragePackage.Literals.DRIVER_DECL__JAVA_CLASS)});
      deviceNodes.add(
          new DeviceNode(
              n.id,
              displayName(n),
              n.driver.getType().getName(),
              java[0],
              n.driver.getName(),
              java[1],
              Optional.ofNullable(n.driver.getFactory()),
              arguments,
              deps,
              n.resources,
              locator.locate(n.site, null)));
    }
    List<JobNode> jobs = new ArrayList<>();
    Set<String> jobNames = new HashSet<>();
    for (int j = 0; j < jobDecls.size(); j++) {
      JobDecl job = jobDecls.get(j);
      List<Argument> arguments = new ArrayList<>();
      List<String> deps = new ArrayList<>();
      List<Evaluated> args = jobArgs.get(j);
      for (int i = 0; i < args.size(); i++) {
        arguments.add(argument("arg" + i, args.get(i), deps));
      }
      String className = JavaNames.of(job, MiragePackage.Literals.JOB_DECL__JAVA_CLASS);
      String name = job.getAlias() != null ? job.getAlias() : className.substring(className.lastIndexOf('.') + 1);
      String unique = name;
      for (int k = 2; !jobNames.add(unique); k++) {
        unique = name + k;
      }
      jobs.add(new JobNode(unique, className, arguments, deps, locator.locate(job, null)));
    }
    List<RuntimeKey> rk = new ArrayList<>(runtimeKeys);
    rk.sort((a, b) -> a.name().compareTo(b.name()));
    List<ConfigureKey> ck = new ArrayList<>(configureKeys);
    ck.sort((a, b) -> a.name().compareTo(b.name()));
    return new UnikernelModel(
        unikernel.getName(),
        platform,
        locator.fileName(unikernel.eResource()),
        ck,
        rk,
        deviceNodes,
        jobs,
        new ArrayList<>(artifacts),
        locator.locate(unikernel, null));
  }

  private static final Pattern NOT_IN_ID = Pattern.compile("[^A-Za-z0-9_]");

  /** Gives each node its id: the name of the device that holds it, or its driver's, unique. */
  private static void assignIds(List<Node> nodes) {
    Set<String> used = new HashSet<>();
    for (Node n : nodes) {
      String base = n.preferredName != null ? n.preferredName : n.driver.getName();
      base = NOT_IN_ID.matcher(base).replaceAll("_");
      String id = base;
      for (int k = 2; !used.add(id); k++) {
        id = base + "_" + k;
      }
      n.id = id;
    }
  }

  private static Argument argument(String param, Evaluated v, List<String> deps) {
    if (v instanceof Evaluated.Device d) {
      if (!deps.contains(d.node().id)) {
        deps.add(d.node().id);
      }
      return new Argument.DeviceArg(param, d.node().id);
    }
    if (v instanceof Evaluated.Key k) {
      return new Argument.RuntimeKeyArg(param, k.optionName());
    }
    Evaluated.Constant c = (Evaluated.Constant) v;
    return new Argument.ConstantArg(param, c.value(), c.configureKey());
  }

  /** The device's name, or its driver applied to its arguments: {@code crunch("htdocs")}. */
  private static String displayName(Node n) {
    if (n.preferredName != null) {
      return n.preferredName;
    }
    StringBuilder sb = new StringBuilder(n.driver.getName()).append('(');
    for (int i = 0; i < n.args.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      Evaluated v = n.args.get(i);
      if (v instanceof Evaluated.Device d) {
        sb.append(d.node().preferredName != null ? d.node().preferredName : d.node().driver.getName());
      } else if (v instanceof Evaluated.Key k) {
        sb.append(k.key().getName()).append(k.group() == null ? "" : "@" + k.group());
      } else if (v instanceof Evaluated.Constant c) {
        sb.append(c.value() instanceof Value.StringValue s ? "\"" + s.value() + "\"" : c.value().display());
      }
    }
    return sb.append(')').toString();
  }

  private static Optional<Artifact> artifact(DriverDecl d) {
    if (d.getArtifact() == null) {
      return Optional.empty();
    }
    String[] parts = d.getArtifact().split(":");
    if (parts.length < 2 || parts.length > 3) {
      return Optional.empty(); // reported by the checker
    }
    return Optional.of(new Artifact(parts[0], parts[1], parts.length == 3 ? parts[2] : ""));
  }
}
