package org.mirage4j.tooling;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mirage4j.model.Argument;
import org.mirage4j.model.ConfigureKey;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.JobNode;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.UnikernelModel;

/**
 * The resolved device graph as text: an indented tree (each job, the devices it receives, their
 * drivers and keys, down to the leaves) or Graphviz DOT. Shared by {@code mirage describe} and
 * {@code mvn mirage:describe}. The output depends on the model alone.
 */
public final class GraphRenderer {

  private GraphRenderer() {}

  /** The indented tree. A device shared by several users is expanded once, then named. */
  public static String text(UnikernelModel model) {
    StringBuilder sb = new StringBuilder();
    sb.append("unikernel ").append(model.name())
        .append(" (target ").append(model.target()).append(", arch ").append(model.arch())
        .append(", ").append(model.location()).append(")\n");
    if (!model.configureKeys().isEmpty()) {
      sb.append("  configure keys:\n");
      for (ConfigureKey k : model.configureKeys()) {
        sb.append("    ").append(k.name()).append(" = ").append(k.value().display())
            .append(k.fromUser() ? " (given)" : " (default)").append('\n');
      }
    }
    if (!model.runtimeKeys().isEmpty()) {
      sb.append("  runtime keys:\n");
      for (RuntimeKey k : model.runtimeKeys()) {
        sb.append("    --").append(k.name()).append(" : ").append(k.type().display());
        if (k.required()) {
          sb.append(" (required)");
        } else if (k.defaultValue().isPresent()) {
          sb.append(" = ").append(k.defaultValue().get().display());
        }
        sb.append('\n');
      }
    }
    if (!model.artifacts().isEmpty()) {
      sb.append("  artifacts:\n");
      model.artifacts().forEach(a -> sb.append("    ").append(a).append('\n'));
    }
    Set<String> expanded = new HashSet<>();
    for (JobNode job : model.jobs()) {
      sb.append("job ").append(job.name()).append(" = ").append(job.className())
          .append("  [").append(job.location()).append("]\n");
      arguments(model, job.arguments(), "  ", expanded, sb);
    }
    // devices no job reaches (kept by the model, e.g. for their side effects)
    for (DeviceNode d : model.devices()) {
      if (!expanded.contains(d.id())) {
        device(model, d, null, "", expanded, sb);
      }
    }
    return sb.toString();
  }

  private static void arguments(
      UnikernelModel model, List<Argument> args, String indent, Set<String> expanded, StringBuilder sb) {
    for (Argument a : args) {
      if (a instanceof Argument.DeviceArg d) {
        device(model, model.device(d.deviceId()).orElseThrow(), a.parameterName(), indent, expanded, sb);
      } else if (a instanceof Argument.RuntimeKeyArg k) {
        sb.append(indent).append(a.parameterName()).append(": runtime key --").append(k.keyName()).append('\n');
      } else if (a instanceof Argument.ConstantArg c) {
        sb.append(indent).append(a.parameterName()).append(": ").append(c.value().display());
        if (c.configureKey() != null) {
          sb.append(" (configure key ").append(c.configureKey()).append(')');
        }
        sb.append('\n');
      }
    }
  }

  private static void device(
      UnikernelModel model, DeviceNode d, String parameter, String indent, Set<String> expanded,
      StringBuilder sb) {
    sb.append(indent);
    if (parameter != null) {
      sb.append(parameter).append(": ");
    }
    sb.append(d.name()).append(" : ").append(d.typeName());
    if (!expanded.add(d.id())) {
      sb.append(" (shared, see above)\n");
      return;
    }
    sb.append(" = ").append(d.driverName()).append(" [").append(d.driverClass())
        .append(d.factoryMethod().map(m -> "." + m).orElse("")).append("]  ")
        .append(d.location()).append('\n');
    for (HostResource r : d.resources()) {
      sb.append(indent).append("  needs ")
          .append(describe(r))
          .append('\n');
    }
    arguments(model, d.arguments(), indent + "  ", expanded, sb);
  }

  /** Graphviz DOT: one node per device, job and runtime key; an edge per argument. */
  public static String dot(UnikernelModel model) {
    StringBuilder sb = new StringBuilder();
    sb.append("digraph ").append(quote(model.name())).append(" {\n");
    sb.append("  label=").append(quote("unikernel " + model.name() + " (" + model.target() + ", " + model.arch() + ")"))
        .append(";\n");
    sb.append("  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n");
    for (DeviceNode d : model.devices()) {
      sb.append("  ").append(quote("d:" + d.id())).append(" [shape=box, label=")
          .append(quote(d.name() + "\\n" + d.typeName() + " = " + d.driverName())).append("];\n");
    }
    for (JobNode j : model.jobs()) {
      sb.append("  ").append(quote("j:" + j.name())).append(" [shape=doubleoctagon, label=")
          .append(quote(j.name() + "\\n" + j.className())).append("];\n");
    }
    for (RuntimeKey k : model.runtimeKeys()) {
      sb.append("  ").append(quote("k:" + k.name())).append(" [shape=note, label=")
          .append(quote("--" + k.name() + " : " + k.type().display())).append("];\n");
    }
    for (DeviceNode d : model.devices()) {
      edges("d:" + d.id(), d.arguments(), sb);
    }
    for (JobNode j : model.jobs()) {
      edges("j:" + j.name(), j.arguments(), sb);
    }
    sb.append("}\n");
    return sb.toString();
  }

  private static void edges(String from, List<Argument> args, StringBuilder sb) {
    for (Argument a : args) {
      String to;
      if (a instanceof Argument.DeviceArg d) {
        to = "d:" + d.deviceId();
      } else if (a instanceof Argument.RuntimeKeyArg k) {
        to = "k:" + k.keyName();
      } else {
        continue;
      }
      sb.append("  ").append(quote(from)).append(" -> ").append(quote(to))
          .append(" [label=").append(quote(a.parameterName())).append("];\n");
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\\\\n", "\\n") + "\"";
  }


  /** A host resource as the language writes it ({@code vif net0}, {@code disk disk.img}, {@code embed htdocs}). */
  static String describe(HostResource r) {
    if (r instanceof HostResource.Vif v) {
      return "vif " + v.name();
    }
    if (r instanceof HostResource.Disk d) {
      return "disk " + d.file();
    }
    return "embed " + ((HostResource.Embed) r).dir();
  }
}
