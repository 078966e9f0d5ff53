package org.mirage4j.dsl.scoping;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.xtext.naming.IQualifiedNameProvider;
import org.eclipse.xtext.naming.QualifiedName;
import org.mirage4j.dsl.mirage.ChoiceValue;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.DriverDecl;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.TargetDecl;
import org.mirage4j.dsl.mirage.TypeDecl;

/**
 * Names of the language: every top-level declaration is known by its simple name (the language has
 * no namespaces; files share one namespace per kind). Parameters and choice values are local and
 * never exported: {@link MirageScopeProvider} makes them visible where they apply.
 */
public class MirageQualifiedNameProvider extends IQualifiedNameProvider.AbstractImpl {

  @Override
  public QualifiedName getFullyQualifiedName(EObject obj) {
    String name = null;
    if (obj instanceof DeviceDecl d) {
      name = d.getName();
    } else if (obj instanceof KeyDecl k) {
      name = k.getName();
    } else if (obj instanceof DriverDecl d) {
      name = d.getName();
    } else if (obj instanceof TypeDecl t) {
      name = t.getName();
    } else if (obj instanceof TargetDecl t) {
      name = t.getName();
    } else if (obj instanceof ChoiceValue) {
      return null;
    }
    return name == null || name.isEmpty() ? null : QualifiedName.create(name);
  }
}
