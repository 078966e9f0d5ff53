package org.mirage4j.samples.targets;

import java.util.List;
import java.util.stream.Collectors;
import org.mirage4j.model.Argument;
import org.mirage4j.model.Artifact;
import org.mirage4j.model.ConfigureKey;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.JobNode;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;

/**
 * A model as text, one line per key, device, argument and job: what the front end (the language,
 * {@code std.mirage} and lowering) makes of a sample for one target, which is what this module
 * alone checks. What the generator writes for a model is the business of the generator's own golden
 * files ({@code generator/src/test/resources/golden}), so a change of the generator re-records those
 * and not these.
 */
final class ModelText {

  private ModelText() {}

  static String of(UnikernelModel m) {
    StringBuilder sb = new StringBuilder();
    sb.append("# The model lowered from ").append(m.configFile()).append(" for target ")
        .append(m.platform().target()).append(" (").append(m.platform().arch()).append("),\n")
        .append("# the generator's input. Re-record with -Dmirage.golden.record=true.\n");
    sb.append("unikernel ").append(m.name()).append(" at ").append(m.location()).append('\n');
    sb.append("platform ").append(m.platform().target()).append(' ').append(m.platform().kind())
        .append(' ').append(m.platform().arch())
        .append(m.platform().kernelImage().map(k -> " kernel " + k).orElse("")).append('\n');
    for (ConfigureKey k : m.configureKeys()) {
      sb.append("configure key ").append(k.name()).append(" : ").append(k.value().type().display())
          .append(" = ").append(text(k.value())).append(k.fromUser() ? " (given)" : " (default)").append(" at ").append(k.location())
          .append(doc(k.doc())).append('\n');
    }
    for (RuntimeKey k : m.runtimeKeys()) {
      sb.append("runtime key ").append(k.name()).append(" : ").append(k.type().display())
          .append(k.required() ? " required" : k.defaultValue().map(v -> " = " + text(v)).orElse(""))
          .append(k.aliases().isEmpty() ? "" : " alias " + String.join(", ", k.aliases()))
          .append(" at ").append(k.location()).append(doc(k.doc())).append('\n');
    }
    for (DeviceNode d : m.devices()) {
      sb.append("device ").append(d.id()).append(" : ").append(d.typeName()).append(" [")
          .append(d.typeInterface()).append("] = ").append(d.driverName()).append(" [")
          .append(d.driverClass()).append(d.factoryMethod().map(f -> "::" + f).orElse(""))
          .append("] at ").append(d.location()).append('\n');
      if (!d.name().equals(d.id())) {
        sb.append("  shown as ").append(d.name()).append('\n');
      }
      arguments(sb, d.arguments());
      if (!d.dependencies().isEmpty()) {
        sb.append("  receives ").append(String.join(", ", d.dependencies())).append('\n');
      }
      for (HostResource r : d.resources()) {
        sb.append("  needs ").append(resource(r)).append('\n');
      }
    }
    for (JobNode j : m.jobs()) {
      sb.append("job ").append(j.name()).append(" [").append(j.className()).append("] at ")
          .append(j.location()).append('\n');
      arguments(sb, j.arguments());
      if (!j.dependencies().isEmpty()) {
        sb.append("  receives ").append(String.join(", ", j.dependencies())).append('\n');
      }
    }
    for (Artifact a : m.artifacts()) {
      sb.append("artifact ").append(a.groupId()).append(':').append(a.artifactId())
          .append(a.version().isEmpty() ? "" : ":" + a.version()).append('\n');
    }
    return sb.toString();
  }

  private static void arguments(StringBuilder sb, List<Argument> arguments) {
    for (Argument a : arguments) {
      sb.append("  ").append(a.parameterName()).append(" = ");
      if (a instanceof Argument.DeviceArg d) {
        sb.append("device ").append(d.deviceId());
      } else if (a instanceof Argument.RuntimeKeyArg k) {
        sb.append("runtime key ").append(k.keyName());
      } else {
        Argument.ConstantArg c = (Argument.ConstantArg) a;
        sb.append(value(c.value()));
        if (c.configureKey() != null) {
          sb.append(" (configure key ").append(c.configureKey()).append(')');
        }
      }
      sb.append('\n');
    }
  }

  private static String resource(HostResource r) {
    if (r instanceof HostResource.Vif v) {
      return "vif " + v.name();
    }
    if (r instanceof HostResource.Disk d) {
      return "disk " + d.file();
    }
    return "embed " + ((HostResource.Embed) r).dir();
  }

  /** A value as the language writes it, with its type; strings quoted, so that "" shows. */
  private static String value(Value v) {
    return text(v) + " : " + v.type().display();
  }

  private static String text(Value v) {
    if (v instanceof Value.StringValue s) {
      return quote(s.value());
    }
    if (v instanceof Value.ListValue l) {
      return l.elements().stream().map(ModelText::text).collect(Collectors.joining(", ", "[", "]"));
    }
    return v.display();
  }

  private static String doc(String doc) {
    return doc.isEmpty() ? "" : " " + quote(doc);
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
