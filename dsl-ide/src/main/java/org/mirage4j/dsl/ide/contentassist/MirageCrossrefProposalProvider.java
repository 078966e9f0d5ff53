package org.mirage4j.dsl.ide.contentassist;

import com.google.inject.Inject;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.eclipse.xtext.CrossReference;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistContext;
import org.eclipse.xtext.ide.editor.contentassist.ContentAssistEntry;
import org.eclipse.xtext.ide.editor.contentassist.IdeCrossrefProposalProvider;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.mirage4j.dsl.ide.hover.MirageHoverText;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.MiragePackage;

/** Proposals for names: what each is (driver, device, key, ...) and its documentation. */
public class MirageCrossrefProposalProvider extends IdeCrossrefProposalProvider {

  @Inject private MirageHoverText hoverText;

  @Override
  public ContentAssistEntry createProposal(
      IEObjectDescription candidate, CrossReference crossRef, ContentAssistContext context) {
    ContentAssistEntry entry = super.createProposal(candidate, crossRef, context);
    if (entry == null) {
      return null;
    }
    EClass type = candidate.getEClass();
    MiragePackage p = MiragePackage.eINSTANCE;
    EObject obj = candidate.getEObjectOrProxy();
    if (obj != null && obj.eIsProxy() && context.getResource() != null) {
      obj = EcoreUtil.resolve(obj, context.getResource());
    }
    String kind = ContentAssistEntry.KIND_REFERENCE;
    String what = type == null ? null : type.getName();
    if (type == p.getDriverDecl()) {
      kind = ContentAssistEntry.KIND_FUNCTION;
      what = "driver";
    } else if (type == p.getDeviceDecl()) {
      boolean function = obj instanceof DeviceDecl d && !d.getParams().isEmpty();
      kind = function ? ContentAssistEntry.KIND_METHOD : ContentAssistEntry.KIND_VARIABLE;
      what = function ? "device function" : "device";
    } else if (type == p.getKeyDecl()) {
      kind = ContentAssistEntry.KIND_PROPERTY;
      what = "key";
    } else if (type == p.getTypeDecl()) {
      kind = ContentAssistEntry.KIND_INTERFACE;
      what = "type";
    } else if (type == p.getTargetDecl()) {
      kind = ContentAssistEntry.KIND_ENUM;
      what = "target";
    } else if (type == p.getParam()) {
      kind = ContentAssistEntry.KIND_VARIABLE;
      what = "parameter";
    } else if (type == p.getChoiceValue()) {
      kind = ContentAssistEntry.KIND_VALUE;
      what = "choice value";
    }
    entry.setKind(kind);
    entry.setDescription(what);
    if (obj != null && !obj.eIsProxy()) {
      try {
        String doc = hoverText.describe(obj);
        if (!doc.isEmpty()) {
          entry.setDocumentation(doc);
        }
      } catch (RuntimeException e) {
        // documentation is a nicety
      }
    }
    return entry;
  }
}
