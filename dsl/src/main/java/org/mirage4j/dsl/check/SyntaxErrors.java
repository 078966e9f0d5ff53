package org.mirage4j.dsl.check;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.diagnostics.AbstractDiagnostic;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.mirage4j.dsl.mirage.Element;
import org.mirage4j.dsl.mirage.MirageFile;

/**
 * Where the parser already complained: a check whose finding would only repeat a syntax error
 * (an argument count, when arguments were lost) asks here first.
 */
final class SyntaxErrors {

  private SyntaxErrors() {}

  /** Whether a syntax error lies within the declaration that holds {@code obj} (its arguments may be lost). */
  static boolean within(EObject obj) {
    Resource resource = obj.eResource();
    if (resource == null || resource.getErrors().isEmpty()) {
      return false; // the usual case, asked for every call in the file
    }
    EObject holder = EcoreUtil2.getContainerOfType(obj, Element.class);
    if (holder == null) {
      holder = obj;
    }
    INode node = NodeModelUtils.getNode(holder);
    if (resource == null || node == null || resource.getErrors().isEmpty()) {
      return false;
    }
    int start = node.getOffset();
    // up to the next declaration: error recovery may leave the broken tokens outside this one
    int end = Integer.MAX_VALUE;
    if (holder.eContainer() instanceof MirageFile file) {
      int index = file.getElements().indexOf(holder);
      if (index >= 0 && index + 1 < file.getElements().size()) {
        INode next = NodeModelUtils.getNode(file.getElements().get(index + 1));
        if (next != null) {
          end = next.getOffset();
        }
      }
    }
    for (Resource.Diagnostic d : resource.getErrors()) {
      if (!(d instanceof AbstractDiagnostic a) || (a.getOffset() >= start && a.getOffset() <= end)) {
        return true;
      }
    }
    return false;
  }
}
