package org.mirage4j.dsl.linking;

import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.common.types.TypesPackage;
import org.eclipse.xtext.diagnostics.Diagnostic;
import org.eclipse.xtext.diagnostics.DiagnosticMessage;
import org.eclipse.xtext.diagnostics.Severity;
import org.eclipse.xtext.linking.impl.LinkingDiagnosticMessageProvider;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.IScopeProvider;
import org.mirage4j.dsl.mirage.ChoiceTypeExpr;
import org.mirage4j.dsl.mirage.ChoiceValue;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.mirage.RefExpr;
import org.mirage4j.dsl.typing.MirageTypes;

/**
 * Messages for names that do not resolve: what kind of thing was expected, and the closest name
 * that exists ("did you mean 'stack'?"). Java-type references are not reported here: whether a
 * class is on the class path is checked, with a message naming the Maven artifact, when the
 * unikernel is lowered for a target.
 */
public class MirageLinkingDiagnosticMessageProvider extends LinkingDiagnosticMessageProvider {

  @Inject private IScopeProvider scopeProvider;

  @Inject private MirageTypes types;

  @Override
  public DiagnosticMessage getUnresolvedProxyMessage(ILinkingDiagnosticContext context) {
    EClass type = context.getReference().getEReferenceType();
    if (EcoreUtil2.isAssignableFrom(TypesPackage.Literals.JVM_TYPE, type)) {
      return null;
    }
    String name = context.getLinkText();
    EObject obj = context.getContext();
    List<String> candidates = new ArrayList<>();
    try {
      IScope scope = scopeProvider.getScope(obj, context.getReference());
      for (IEObjectDescription d : scope.getAllElements()) {
        candidates.add(d.getName().toString());
      }
    } catch (RuntimeException e) {
      // a broken file may break scoping: give the message without a hint
    }
    String message;
    if (type == MiragePackage.Literals.NAMED) {
      boolean call = obj instanceof RefExpr r && r.isCall();
      String misuse = misuse(obj, context, call);
      ChoiceTypeExpr choice = !call && obj instanceof RefExpr r ? expectedChoice(r) : null;
      if (misuse != null) {
        message = misuse;
      } else if (choice != null) {
        List<String> values = choice.getValues().stream().map(ChoiceValue::getName)
            .filter(java.util.Objects::nonNull).map(org.mirage4j.model.ValueType.Choice::show).toList();
        message =
            "unknown value '" + name + "'" + DidYouMean.hint(name, candidates)
                + " (expected one of: " + String.join(", ", values) + ", or a key of that type)";
      } else {
        message =
            (call ? "unknown driver or device function '" : "unknown device, key or driver '")
                + name
                + "'"
                + DidYouMean.hint(name, candidates);
      }
    } else {
      message = "unknown " + noun(type) + " '" + name + "'" + DidYouMean.hint(name, candidates);
    }
    return new DiagnosticMessage(message, Severity.ERROR, Diagnostic.LINKING_DIAGNOSTIC);
  }

  private ChoiceTypeExpr expectedChoice(RefExpr r) {
    try {
      return types.expectedChoice(r);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The name exists but is used the wrong way: called without being callable, or vice versa. */
  private String misuse(EObject obj, ILinkingDiagnosticContext context, boolean call) {
    if (!(obj instanceof RefExpr r)) {
      return null;
    }
    String name = context.getLinkText();
    EObject found = lookUpOtherUsage(r, name);
    if (found == null) {
      return null;
    }
    if (call) {
      if (found instanceof KeyDecl) {
        return "'" + name + "' is a key and takes no arguments; remove the parentheses";
      }
      if (found instanceof DeviceDecl) {
        return "'" + name + "' is a device, not a driver; remove the parentheses";
      }
      return "'" + name + "' takes no arguments; remove the parentheses";
    }
    if (found instanceof DeviceDecl d) {
      return "'" + name + "' is a device function; call it with its arguments: " + name + "("
          + String.join(", ", d.getParams().stream().map(p -> p.getName() == null ? "..." : p.getName()).toList()) + ")";
    }
    if (found instanceof DriverDecl d) {
      return "driver '" + name + "' needs its arguments: " + name + "("
          + String.join(", ", d.getParams().stream().map(p -> p.getName() == null ? "..." : p.getName()).toList()) + ")";
    }
    return null;
  }

  /** Resolves {@code name} as if {@code r} were used the other way (called / bare). */
  private EObject lookUpOtherUsage(RefExpr r, String name) {
    boolean was = r.isCall();
    boolean deliver = r.eDeliver();
    r.eSetDeliver(false);
    try {
      r.setCall(!was);
      IEObjectDescription d =
          scopeProvider.getScope(r, MiragePackage.Literals.REF_EXPR__REF)
              .getSingleElement(QualifiedName.create(name));
      return d == null ? null : d.getEObjectOrProxy();
    } catch (RuntimeException e) {
      return null;
    } finally {
      r.setCall(was);
      r.eSetDeliver(deliver);
    }
  }

  private static String noun(EClass type) {
    if (type == MiragePackage.Literals.TYPE_DECL) {
      return "device type";
    }
    if (type == MiragePackage.Literals.TARGET_DECL) {
      return "target";
    }
    if (type == MiragePackage.Literals.KEY_DECL) {
      return "key";
    }
    return type.getName();
  }
}
