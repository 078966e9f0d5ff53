package org.mirage4j.dsl.ide.hover;

import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.common.types.JvmType;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.mirage4j.dsl.StdLib;
import org.mirage4j.dsl.mirage.ChoiceTypeExpr;
import org.mirage4j.dsl.mirage.ChoiceValue;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.Expr;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.KeyStage;
import org.mirage4j.dsl.mirage.MatchCase;
import org.mirage4j.dsl.mirage.MatchExpr;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.mirage.Named;
import org.mirage4j.dsl.mirage.Param;
import org.mirage4j.dsl.mirage.RefExpr;
import org.mirage4j.dsl.mirage.TargetDecl;
import org.mirage4j.dsl.mirage.TypeDecl;
import org.mirage4j.dsl.mirage.Unikernel;
import org.mirage4j.dsl.scoping.Visible;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.dsl.typing.Ty;
import org.mirage4j.dsl.ide.symbols.MirageSymbolKinds;

/**
 * The hover text of a declaration, in Markdown: a signature line, the doc string, and for a device
 * the driver it becomes on each target.
 */
public class MirageHoverText {

  private static final int MAX_DEPTH = 16;

  @Inject private MirageTypes types;

  /** The Markdown describing {@code element}, or "" when there is nothing to say. */
  public String describe(EObject element) {
    StringBuilder md = new StringBuilder();
    String doc = null;
    if (element instanceof KeyDecl k) {
      code(md, "key " + k.getName() + " : " + text(k.getType()) + defaultOf(k));
      boolean configure = k.getStage() == KeyStage.CONFIGURE;
      md.append("\n\n*")
          .append(configure
              ? "configure-time key: chooses implementations when the unikernel is generated"
              : "runtime key: a command-line option of the generated program")
          .append(k.isRequired() ? ", required" : "")
          .append("*");
      doc = k.getDoc();
    } else if (element instanceof DeviceDecl d) {
      StringBuilder sig = new StringBuilder("device ").append(d.getName());
      if (!d.getParams().isEmpty()) {
        sig.append(d.getParams().stream().map(this::param).collect(Collectors.joining(", ", "(", ")")));
      }
      Ty t = types.typeOfNamed(d);
      if (t instanceof Ty.Device dev) {
        sig.append(" : ").append(dev.decl().getName());
      }
      code(md, sig.toString());
      doc = d.getDoc();
      appendDrivers(md, d);
    } else if (element instanceof DriverDecl d) {
      StringBuilder sig = new StringBuilder("driver ").append(d.getName())
          .append(d.getParams().stream().map(this::param).collect(Collectors.joining(", ", "(", ")")));
      if (d.getType() != null && !d.getType().eIsProxy()) {
        sig.append(" : ").append(d.getType().getName());
      }
      String cls = MirageSymbolKinds.featureText(d, MiragePackage.Literals.DRIVER_DECL__JAVA_CLASS);
      if (cls != null) {
        sig.append("\n    = ").append(cls.strip());
        if (d.getFactory() != null) {
          sig.append("::").append(d.getFactory());
        }
      }
      code(md, sig.toString());
      List<String> on = names(d.getTargets());
      md.append("\n\non ").append(on.isEmpty() ? "every target" : "`" + String.join("`, `", on) + "`");
      if (d.getArtifact() != null) {
        md.append(", from `").append(d.getArtifact()).append("`");
      }
      doc = d.getDoc();
    } else if (element instanceof TypeDecl t) {
      String cls = MirageSymbolKinds.featureText(t, MiragePackage.Literals.TYPE_DECL__JAVA_TYPE);
      code(md, "type " + t.getName() + (cls == null ? "" : " = " + cls.strip()));
      doc = t.getDoc();
    } else if (element instanceof TargetDecl t) {
      String arches = String.join(", ", t.getArches().stream()
          .map(a -> a.getName() + (a.getKernelImage() == null ? "" : " (" + a.getKernelImage() + ")")).toList());
      code(md, "target " + t.getName() + (t.getKind() == null ? "" : " : " + t.getKind())
          + (arches.isEmpty() ? "" : " arch " + arches));
      doc = t.getDoc();
    } else if (element instanceof Unikernel u) {
      code(md, "unikernel " + u.getName());
      doc = u.getDoc();
    } else if (element instanceof Param p) {
      code(md, "parameter " + param(p));
    } else if (element instanceof ChoiceValue v) {
      String of = v.eContainer() instanceof ChoiceTypeExpr c ? text(c) : "a choice";
      KeyDecl key = EcoreUtil2.getContainerOfType(v, KeyDecl.class);
      code(md, v.getName() + " : " + of);
      if (key != null) {
        md.append("\n\na value of key `").append(key.getName()).append("`");
      }
    } else if (element instanceof JobDecl j) {
      String cls = MirageSymbolKinds.featureText(j, MiragePackage.Literals.JOB_DECL__JAVA_CLASS);
      code(md, "job " + (cls == null ? "" : cls.strip()));
      doc = j.getDoc();
    } else if (element instanceof JvmType t) {
      code(md, "Java: " + t.getQualifiedName());
    } else {
      return "";
    }
    if (doc != null && !doc.isBlank()) {
      md.append("\n\n").append(doc.strip());
    }
    if (element.eResource() != null && StdLib.isStd(element.eResource().getURI())) {
      md.append("\n\n*from the standard library (std.mirage)*");
    }
    return md.toString();
  }

  private static void code(StringBuilder md, String code) {
    md.append("```mirage\n").append(code).append("\n```");
  }

  private String param(Param p) {
    return p.getName() + ": " + text(p.getType()) + (p.getDefault() == null ? "" : " = " + text(p.getDefault()));
  }

  private static String defaultOf(KeyDecl k) {
    return k.getDefault() == null ? "" : " = " + text(k.getDefault());
  }

  /** The source text of a model element, on one line. */
  static String text(EObject obj) {
    if (obj == null) {
      return "?";
    }
    ICompositeNode node = NodeModelUtils.findActualNodeFor(obj);
    if (node == null) {
      return "?";
    }
    return NodeModelUtils.getTokenText(node).replaceAll("\\s+", " ").strip();
  }

  private static List<String> names(List<TargetDecl> targets) {
    List<String> names = new ArrayList<>();
    for (TargetDecl t : targets) {
      if (!t.eIsProxy() && t.getName() != null) {
        names.add(t.getName());
      }
    }
    return names;
  }

  /** "unix: `tap` · xen, arm: `netfront`" */
  private void appendDrivers(StringBuilder md, DeviceDecl d) {
    EObject root = EcoreUtil2.getRootContainer(d);
    if (!(root instanceof MirageFile file)) {
      return;
    }
    List<TargetDecl> targets = Visible.targets(file);
    Map<String, List<String>> byDriver = new LinkedHashMap<>();
    for (TargetDecl t : targets) {
      if (t.getName() == null) {
        continue;
      }
      String driver = resolve(d.getValue(), t.getName(), 0);
      if (driver == null) {
        continue;
      }
      byDriver.computeIfAbsent(driver, x -> new ArrayList<>()).add(t.getName());
    }
    if (byDriver.isEmpty()) {
      return;
    }
    md.append("\n\n**driver per target**");
    for (Map.Entry<String, List<String>> e : byDriver.entrySet()) {
      md.append("\n- ").append(String.join(", ", e.getValue())).append(": ").append(e.getKey());
    }
  }

  /** What {@code expr} becomes on {@code target}: a driver, or a choice by a configure key. */
  private String resolve(Expr expr, String target, int depth) {
    if (expr == null || depth > MAX_DEPTH) {
      return null;
    }
    if (expr instanceof MatchExpr m) {
      if (m.isOnTarget()) {
        for (MatchCase c : m.getCases()) {
          if (c.getLabels().contains(target)) {
            return resolve(c.getValue(), target, depth + 1);
          }
        }
        return m.getDefault() == null ? "none (no case for this target)" : resolve(m.getDefault(), target, depth + 1);
      }
      KeyDecl key = m.getKey();
      if (key == null || key.eIsProxy()) {
        return null;
      }
      List<String> options = new ArrayList<>();
      for (MatchCase c : m.getCases()) {
        String r = resolve(c.getValue(), target, depth + 1);
        options.add(String.join(", ", c.getLabels()) + " → " + (r == null ? "?" : r));
      }
      if (m.getDefault() != null) {
        String r = resolve(m.getDefault(), target, depth + 1);
        options.add("default → " + (r == null ? "?" : r));
      }
      return "by key `" + key.getName() + "`: " + String.join("; ", options);
    }
    if (expr instanceof RefExpr r) {
      Named n = r.getRef();
      if (n == null || n.eIsProxy()) {
        return null;
      }
      if (n instanceof DriverDecl drv) {
        List<String> on = names(drv.getTargets());
        return "`" + drv.getName() + "`" + (on.isEmpty() || on.contains(target) ? "" : " (not available on " + target + ")");
      }
      if (n instanceof DeviceDecl dev) {
        return resolve(dev.getValue(), target, depth + 1);
      }
    }
    return null;
  }
}
