package org.mirage4j.dsl.scoping;

import java.util.HashMap;
import java.util.Map;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.EObjectDescription;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.impl.DefaultResourceDescriptionStrategy;
import org.eclipse.xtext.util.IAcceptor;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.MirageFile;

/**
 * Exports the top-level declarations of a file, recording for each whether it may be called with
 * arguments ({@code f(...)}) and whether it may be named bare ({@code f}): a key and a device
 * function may share a name ({@code kv_ro}) because they are never used the same way.
 */
public class MirageResourceDescriptionStrategy extends DefaultResourceDescriptionStrategy {

  /** User-data key: "true" when the element can be applied to arguments. */
  public static final String CALLABLE = "callable";
  /** User-data key: "true" when the element can be referenced without arguments. */
  public static final String BARE = "bare";

  @Override
  public boolean createEObjectDescriptions(EObject obj, IAcceptor<IEObjectDescription> acceptor) {
    if (obj instanceof MirageFile) {
      return true; // descend into the top-level declarations
    }
    QualifiedName name = getQualifiedNameProvider().getFullyQualifiedName(obj);
    if (name != null) {
      Map<String, String> data = new HashMap<>();
      data.put(CALLABLE, Boolean.toString(isCallable(obj)));
      data.put(BARE, Boolean.toString(isBare(obj)));
      acceptor.accept(EObjectDescription.create(name, obj, data));
    }
    return false; // nothing below a declaration is visible from other files
  }

  /** Whether {@code obj} can be applied to arguments. */
  public static boolean isCallable(EObject obj) {
    return obj instanceof DriverDecl || obj instanceof DeviceDecl d && !d.getParams().isEmpty();
  }

  /** Whether {@code obj} can be referenced without arguments. */
  public static boolean isBare(EObject obj) {
    if (obj instanceof DriverDecl d) {
      return d.getParams().stream().allMatch(p -> p.getDefault() != null);
    }
    if (obj instanceof DeviceDecl d) {
      return d.getParams().isEmpty();
    }
    return true;
  }
}
