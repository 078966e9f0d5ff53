package org.mirage4j.dsl.ide.highlighting;

import java.util.Iterator;
import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.xtext.ide.editor.syntaxcoloring.IHighlightedPositionAcceptor;
import org.eclipse.xtext.ide.editor.syntaxcoloring.ISemanticHighlightingCalculator;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.util.CancelIndicator;
import org.mirage4j.dsl.StdLib;
import org.mirage4j.dsl.mirage.ChoiceValue;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.mirage.Param;
import org.mirage4j.dsl.mirage.TargetDecl;
import org.mirage4j.dsl.mirage.TypeDecl;
import org.mirage4j.dsl.mirage.Unikernel;

/**
 * Semantic tokens: every declared name and every reference gets the LSP token type of what it
 * names (type, driver as function, device as variable, key as property, target as enum member,
 * Java class), with the modifiers {@code declaration} and {@code defaultLibrary} (std).
 */
public class MirageSemanticHighlighting implements ISemanticHighlightingCalculator {

  @Override
  public void provideHighlightingFor(
      XtextResource resource, IHighlightedPositionAcceptor acceptor, CancelIndicator cancelIndicator) {
    if (resource == null || resource.getParseResult() == null || resource.getContents().isEmpty()) {
      return;
    }
    Iterator<EObject> it = resource.getAllContents();
    while (it.hasNext()) {
      if (cancelIndicator != null && cancelIndicator.isCanceled()) {
        return;
      }
      EObject obj = it.next();
      String declared = tokenType(obj);
      EStructuralFeature name = obj.eClass().getEStructuralFeature("name");
      if (declared != null && name != null) {
        for (INode node : NodeModelUtils.findNodesForFeature(obj, name)) {
          add(acceptor, node, declared, "declaration");
        }
      }
      for (EReference ref : obj.eClass().getEAllReferences()) {
        if (ref.isContainment() || ref.isContainer()) {
          continue;
        }
        List<INode> nodes = NodeModelUtils.findNodesForFeature(obj, ref);
        if (nodes.isEmpty()) {
          continue;
        }
        Object value = obj.eGet(ref, false);
        for (int i = 0; i < nodes.size(); i++) {
          EObject target = null;
          if (value instanceof List<?> list) {
            target = i < list.size() ? (EObject) list.get(i) : null;
          } else if (value instanceof EObject e) {
            target = e;
          }
          if (target == null) {
            continue;
          }
          String type;
          if (ref.getEReferenceType().getEPackage() != MiragePackage.eINSTANCE) {
            type = obj instanceof TypeDecl ? "interface" : "class"; // a Java type
          } else {
            if (target.eIsProxy()) {
              target = org.eclipse.emf.ecore.util.EcoreUtil.resolve(target, resource);
            }
            type = target.eIsProxy() ? null : tokenType(target);
          }
          if (type == null) {
            continue;
          }
          boolean std = target.eResource() != null && StdLib.isStd(target.eResource().getURI());
          if (std) {
            add(acceptor, nodes.get(i), type, "defaultLibrary");
          } else {
            add(acceptor, nodes.get(i), type);
          }
        }
      }
    }
  }

  private static void add(IHighlightedPositionAcceptor acceptor, INode node, String... ids) {
    if (node.getLength() > 0 && !node.getText().contains("\n")) {
      acceptor.addPosition(node.getOffset(), node.getLength(), ids);
    } else if (node.getLength() > 0) {
      // a name never spans lines; a node with hidden text around it is trimmed to its tokens
      for (org.eclipse.xtext.nodemodel.ILeafNode leaf : node.getLeafNodes()) {
        if (!leaf.isHidden()) {
          acceptor.addPosition(leaf.getOffset(), leaf.getLength(), ids);
        }
      }
    }
  }

  /** The token type of a declaration, or null. */
  static String tokenType(EObject obj) {
    if (obj instanceof TypeDecl) {
      return "type";
    }
    if (obj instanceof DriverDecl) {
      return "function";
    }
    if (obj instanceof DeviceDecl d) {
      return d.getParams().isEmpty() ? "variable" : "function";
    }
    if (obj instanceof KeyDecl) {
      return "property";
    }
    if (obj instanceof TargetDecl || obj instanceof ChoiceValue) {
      return "enumMember";
    }
    if (obj instanceof Param) {
      return "parameter";
    }
    if (obj instanceof Unikernel) {
      return "namespace";
    }
    return null;
  }
}
