package org.mirage4j.dsl.ide.contentassist;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.common.types.JvmConstructor;
import org.eclipse.xtext.common.types.JvmDeclaredType;
import org.eclipse.xtext.common.types.JvmFormalParameter;
import org.eclipse.xtext.common.types.JvmMember;
import org.eclipse.xtext.common.types.JvmType;
import org.eclipse.xtext.common.types.JvmVisibility;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.ILeafNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.mirage4j.dsl.javatypes.JavaNames;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.mirage.Named;
import org.mirage4j.dsl.mirage.Param;
import org.mirage4j.dsl.mirage.RefExpr;
import org.mirage4j.dsl.mirage.TypeExpr;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.dsl.typing.Ty;

/**
 * What an argument being written should be: inside {@code http_server(|)} a {@code stack}, inside
 * {@code http_server(default_stack, |)} a {@code port}, inside {@code f(name = |)} the type of
 * parameter {@code name}, inside {@code job org.example.App(|)} the Java type the job's public
 * constructors take at that position. Found from the text before the cursor (the file is often
 * broken while one types) and the model at the callee's name.
 */
final class ExpectedType {

  /**
   * An argument: a device or value type (with the parameter's declared type), or the Java type of a
   * job's constructor parameter, or neither (an argument whose type is not known).
   */
  record Expected(Ty type, String javaType, TypeExpr declared) {
    static final Expected UNKNOWN = new Expected(null, null, null);

    boolean fits(MirageTypes types, Named candidate) {
      if (type == null && javaType == null) {
        return false;
      }
      Ty t = types.typeOfNamed(candidate);
      if (t instanceof Ty.Unknown) {
        return false;
      }
      if (type != null) {
        return !(type instanceof Ty.Unknown) && types.isAssignable(type, t);
      }
      return javaType != null && javaType.equals(javaTypeOf(t));
    }
  }

  private ExpectedType() {}

  /**
   * What the argument at {@code offset} (the start of the word being completed) should be; null if
   * {@code offset} is not in the arguments of a call or job.
   */
  static Expected at(ICompositeNode root, int offset, MirageTypes types) {
    if (root == null) {
      return null;
    }
    String text = root.getText();
    int paren = -1;
    int index = 0;
    String name = null;
    int depth = 0;
    boolean sawComma = false;
    for (int i = Math.min(offset, text.length()) - 1; i >= 0; i--) {
      char c = text.charAt(i);
      if (c == '"') {
        // skip back over a string literal
        int j = i - 1;
        while (j >= 0 && !(text.charAt(j) == '"' && (j == 0 || text.charAt(j - 1) != '\\'))) {
          j--;
        }
        i = Math.max(j, 0);
        continue;
      }
      if (c == ')' || c == ']') {
        depth++;
      } else if (c == '[') {
        if (depth > 0) {
          depth--;
        }
        // an element of a list argument: the list's element type is not ranked
      } else if (c == '(') {
        if (depth == 0) {
          paren = i;
          break;
        }
        depth--;
      } else if (depth == 0 && (c == '{' || c == '}')) {
        return null;
      } else if (depth == 0 && c == ',') {
        index++;
        sawComma = true;
      } else if (depth == 0 && c == '=' && !sawComma && name == null) {
        // `name = |`: a named argument, if a name stands right before the '='
        int e = i - 1;
        while (e >= 0 && Character.isWhitespace(text.charAt(e))) {
          e--;
        }
        int s = e;
        while (s >= 0 && (Character.isLetterOrDigit(text.charAt(s)) || text.charAt(s) == '_')) {
          s--;
        }
        if (s < e) {
          name = text.substring(s + 1, e + 1);
        }
      }
    }
    if (paren < 0) {
      return null;
    }
    // the callee's name right before the '('
    int e = paren - 1;
    while (e >= 0 && Character.isWhitespace(text.charAt(e))) {
      e--;
    }
    if (e < 0) {
      return null;
    }
    ILeafNode leaf = NodeModelUtils.findLeafNodeAtOffset(root, e);
    EObject owner = leaf == null ? null : NodeModelUtils.findActualSemanticObjectFor(leaf);
    if (owner instanceof RefExpr ref) {
      Named callee = ref.getRef();
      if (callee == null || callee.eIsProxy()) {
        return Expected.UNKNOWN;
      }
      List<Param> params = types.paramsOf(callee);
      Param p = null;
      if (name != null) {
        for (Param q : params) {
          if (name.equals(q.getName())) {
            p = q;
          }
        }
      } else if (index < params.size()) {
        p = params.get(index);
      }
      if (p == null) {
        return Expected.UNKNOWN;
      }
      Ty t = types.typeOf(p.getType());
      return t instanceof Ty.Unknown ? Expected.UNKNOWN : new Expected(t, null, p.getType());
    }
    if (owner instanceof JobDecl job) {
      JvmType cls = job.getJavaClass();
      if (name != null || !(cls instanceof JvmDeclaredType declared) || cls.eIsProxy()) {
        return Expected.UNKNOWN;
      }
      Set<String> wanted = new LinkedHashSet<>();
      for (JvmMember m : declared.getMembers()) {
        if (m instanceof JvmConstructor c && c.getVisibility() == JvmVisibility.PUBLIC) {
          List<JvmFormalParameter> ps = new ArrayList<>(c.getParameters());
          if (index < ps.size() && ps.get(index).getParameterType() != null
              && ps.get(index).getParameterType().getType() != null) {
            wanted.add(ps.get(index).getParameterType().getType().getQualifiedName('.'));
          }
        }
      }
      // only where the constructors agree: otherwise every candidate is as good as another
      return wanted.size() == 1 ? new Expected(null, wanted.iterator().next(), null) : Expected.UNKNOWN;
    }
    return null;
  }

  /** The Java type a value of type {@code t} has in the generated wiring, or null. */
  static String javaTypeOf(Ty t) {
    if (t instanceof Ty.Device d) {
      return JavaNames.of(d.decl(), MiragePackage.Literals.TYPE_DECL__JAVA_TYPE);
    }
    if (t instanceof Ty.Val v) {
      return JavaNames.of(v.type());
    }
    return null;
  }
}
