package org.mirage4j.dsl.javatypes;

import java.util.List;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.xtext.common.types.JvmType;
import org.eclipse.xtext.nodemodel.INode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.mirage4j.model.ValueType;

/** Java names as the language knows them, with or without the class on the class path. */
public final class JavaNames {

  private JavaNames() {}

  /**
   * The fully qualified name a Java-type reference stands for: from the resolved type, or, when the
   * class is not on the class path, as written in the file.
   */
  public static String of(EObject owner, EReference reference) {
    Object value = owner.eGet(reference, false);
    if (value instanceof JvmType t && !t.eIsProxy()) {
      return t.getQualifiedName('.');
    }
    List<INode> nodes = NodeModelUtils.findNodesForFeature(owner, reference);
    if (!nodes.isEmpty()) {
      return NodeModelUtils.getTokenText(nodes.get(0)).replaceAll("\\s", "");
    }
    return "";
  }

  /** The Java type (erasure) a key value of {@code type} has. */
  public static String of(ValueType type) {
    if (type instanceof ValueType.ListOf) {
      return "java.util.List";
    }
    if (type instanceof ValueType.Choice) {
      return "java.lang.String";
    }
    switch (((ValueType.Primitive) type).kind()) {
      case INT:
        return "long";
      case BOOL:
        return "boolean";
      case STRING:
        return "java.lang.String";
      case PORT:
        return "int";
      case IPV4_ADDRESS:
        return "org.mirage4j.api.Ipv4Address";
      case IPV4_PREFIX:
        return "org.mirage4j.api.Ipv4Prefix";
      case IPV6_ADDRESS:
        return "org.mirage4j.api.Ipv6Address";
      case IPV6_PREFIX:
        return "org.mirage4j.api.Ipv6Prefix";
      case DURATION:
        return "java.time.Duration";
      default:
        throw new IllegalStateException(type.display());
    }
  }
}
