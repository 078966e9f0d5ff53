package org.mirage4j.dsl.ide.symbols;

import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolMapper;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.mirage.Param;
import org.mirage4j.dsl.mirage.TargetDecl;
import org.mirage4j.dsl.mirage.TypeDecl;
import org.mirage4j.dsl.mirage.Unikernel;

/** The outline: what each declaration is called and shown as. */
public final class MirageSymbolKinds {

  private MirageSymbolKinds() {}

  /** The symbol kind of a declaration's class. */
  public static SymbolKind of(EClass type) {
    MiragePackage p = MiragePackage.eINSTANCE;
    if (type == p.getUnikernel()) {
      return SymbolKind.Module;
    }
    if (type == p.getTargetDecl()) {
      return SymbolKind.EnumMember;
    }
    if (type == p.getTypeDecl()) {
      return SymbolKind.Interface;
    }
    if (type == p.getDriverDecl()) {
      return SymbolKind.Class;
    }
    if (type == p.getDeviceDecl()) {
      return SymbolKind.Object;
    }
    if (type == p.getKeyDecl()) {
      return SymbolKind.Constant;
    }
    if (type == p.getJobDecl()) {
      return SymbolKind.Event;
    }
    if (type == p.getParam()) {
      return SymbolKind.TypeParameter;
    }
    if (type == p.getChoiceValue()) {
      return SymbolKind.EnumMember;
    }
    return SymbolKind.Property;
  }

  /** The source text of a feature of {@code obj} (a cross-reference as written), or null. */
  public static String featureText(EObject obj, org.eclipse.emf.ecore.EStructuralFeature feature) {
    return NodeModelUtils.findNodesForFeature(obj, feature).stream()
        .findFirst()
        .map(NodeModelUtils::getTokenText)
        .orElse(null);
  }

  /** Kinds for the document outline. */
  public static class Kinds extends DocumentSymbolMapper.DocumentSymbolKindProvider {
    @Override
    protected SymbolKind getSymbolKind(EClass type) {
      return of(type);
    }
  }

  /** Names for the outline: declarations by name, jobs by their class, unikernels by name. */
  public static class Names extends DocumentSymbolMapper.DocumentSymbolNameProvider {
    @Override
    public String getName(EObject object) {
      if (object instanceof JobDecl job) {
        String cls = featureText(job, MiragePackage.Literals.JOB_DECL__JAVA_CLASS);
        return cls == null || cls.isBlank() ? null : "job " + cls;
      }
      if (object instanceof Unikernel u) {
        return u.getName();
      }
      if (object instanceof Param p) {
        return p.getName();
      }
      return super.getName(object);
    }
  }

  /** Details for the outline: a device's or driver's type, a key's type. */
  public static class Details extends DocumentSymbolMapper.DocumentSymbolDetailsProvider {
    @Override
    public String getDetails(EObject object) {
      if (object instanceof DeviceDecl d && d.getType() != null && !d.getType().eIsProxy()) {
        return d.getType().getName();
      }
      if (object instanceof DriverDecl d && d.getType() != null && !d.getType().eIsProxy()) {
        return d.getType().getName();
      }
      if (object instanceof KeyDecl k && k.getType() != null) {
        var node = NodeModelUtils.findActualNodeFor(k.getType());
        return node == null ? "" : NodeModelUtils.getTokenText(node);
      }
      if (object instanceof TypeDecl t) {
        String text = featureText(t, MiragePackage.Literals.TYPE_DECL__JAVA_TYPE);
        return text == null ? "" : text;
      }
      if (object instanceof TargetDecl t) {
        return String.join(", ", t.getArches().stream().map(a -> a.getName()).toList());
      }
      return super.getDetails(object);
    }
  }
}
