package org.mirage4j.dsl;

import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EStructuralFeature;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.mirage4j.model.SourceLocation;

/**
 * Turns elements of a parsed file into {@code file:line:col} positions (1-based, as javac prints
 * them). The file is shown as the caller named it; the standard library as {@code std.mirage}.
 */
public class SourceLocator {

  private final java.util.function.Function<Resource, String> fileNames;

  /** Shows each resource by the given names. */
  public SourceLocator(java.util.function.Function<Resource, String> fileNames) {
    this.fileNames = fileNames;
  }

  /** Shows each resource by its URI's last segment. */
  public SourceLocator() {
    this(r -> r.getURI() == null ? "config.mirage" : r.getURI().lastSegment());
  }

  /** The display name of a resource. */
  public String fileName(Resource resource) {
    if (resource == null) {
      return "<unknown>";
    }
    if (StdLib.isStd(resource.getURI())) {
      return StdLib.DISPLAY_NAME;
    }
    return fileNames.apply(resource);
  }

  /** Where {@code obj} (or its {@code feature}) starts. */
  public SourceLocation locate(EObject obj, EStructuralFeature feature) {
    INode node = null;
    if (obj != null && feature != null) {
      List<INode> nodes = NodeModelUtils.findNodesForFeature(obj, feature);
      if (!nodes.isEmpty()) {
        node = nodes.get(0);
      }
    }
    if (node == null && obj != null) {
      ICompositeNode n = NodeModelUtils.findActualNodeFor(obj);
      node = n;
    }
    String file = fileName(obj == null ? null : obj.eResource());
    if (node == null) {
      return new SourceLocation(file, 1, 1);
    }
    int offset = node.getOffset();
    // skip leading hidden tokens (comments, whitespace) of composite nodes
    for (INode leaf : node.getLeafNodes()) {
      if (!(leaf instanceof org.eclipse.xtext.nodemodel.ILeafNode l) || !l.isHidden()) {
        offset = leaf.getOffset();
        break;
      }
    }
    return locate(obj.eResource(), file, offset);
  }

  /** The position of a character offset in a resource's text. */
  public SourceLocation locate(Resource resource, String file, int offset) {
    int[] starts = lineStarts.computeIfAbsent(resource, r -> lineStarts(text(r)));
    int line = java.util.Arrays.binarySearch(starts, offset);
    if (line < 0) {
      line = -line - 2; // the line whose start precedes the offset
    }
    line = Math.max(0, line);
    return new SourceLocation(file, line + 1, offset - starts[line] + 1);
  }

  /** Forgets what is known of a resource's text (after it changed). */
  public void forget(Resource resource) {
    lineStarts.remove(resource);
  }

  private final java.util.Map<Resource, int[]> lineStarts = new java.util.IdentityHashMap<>();

  private static int[] lineStarts(String text) {
    int count = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        count++;
      }
    }
    int[] starts = new int[count];
    int k = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        starts[k++] = i + 1;
      }
    }
    return starts;
  }

  private static String text(Resource resource) {
    if (resource instanceof org.eclipse.xtext.resource.XtextResource x
        && x.getParseResult() != null
        && x.getParseResult().getRootNode() != null) {
      return x.getParseResult().getRootNode().getText();
    }
    return "";
  }
}
