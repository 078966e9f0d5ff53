package org.mirage4j.dsl.scoping;

import com.google.common.base.Predicate;
import com.google.inject.Inject;
import java.util.LinkedHashSet;
import java.util.List;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.EcoreUtil2;
import org.eclipse.xtext.common.types.TypesPackage;
import org.eclipse.xtext.common.types.xtext.AbstractTypeScopeProvider;
import org.eclipse.xtext.naming.QualifiedName;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.impl.ImportUriGlobalScopeProvider;
import org.mirage4j.dsl.StdLib;

/**
 * What a file sees beyond itself: exactly the files it {@code import}s (not transitively) and,
 * implicitly and last, the standard library; Java types come from the user's class path.
 *
 * <p>Xtext's default for grammars with Java-type references would make every resource of the
 * resource set visible, so that {@code import} would mean nothing; this provider keeps the
 * import-URI semantics and hands only the Java-type references to the type scope provider.
 */
public class MirageGlobalScopeProvider extends ImportUriGlobalScopeProvider {

  @Inject private AbstractTypeScopeProvider typeScopeProvider;

  @Override
  public IScope getScope(
      Resource resource, EReference reference, Predicate<IEObjectDescription> filter) {
    EClass type = reference.getEReferenceType();
    if (EcoreUtil2.isAssignableFrom(TypesPackage.Literals.JVM_TYPE, type)
        || EcoreUtil2.isAssignableFrom(TypesPackage.Literals.JVM_CONSTRUCTOR, type)) {
      return new JavaNamesOnly(typeScopeProvider.getScope(resource, reference, filter));
    }
    return super.getScope(resource, reference, filter);
  }

  /**
   * Java types, looked up only by names that can be Java names: a broken file may hand the type
   * provider an empty or dotted-away name ({@code job .(}), which it does not survive.
   */
  private static final class JavaNamesOnly implements IScope {
    private final IScope types;

    JavaNamesOnly(IScope types) {
      this.types = types;
    }

    private static boolean javaName(QualifiedName name) {
      if (name == null || name.getSegmentCount() == 0) {
        return false;
      }
      for (String segment : name.getSegments()) {
        if (segment.isEmpty() || !Character.isJavaIdentifierStart(segment.charAt(0))) {
          return false;
        }
        for (int i = 1; i < segment.length(); i++) {
          if (!Character.isJavaIdentifierPart(segment.charAt(i))) {
            return false;
          }
        }
      }
      return true;
    }

    @Override
    public IEObjectDescription getSingleElement(QualifiedName name) {
      return javaName(name) ? types.getSingleElement(name) : null;
    }

    @Override
    public Iterable<IEObjectDescription> getElements(QualifiedName name) {
      return javaName(name) ? types.getElements(name) : List.of();
    }

    @Override
    public IEObjectDescription getSingleElement(EObject object) {
      return types.getSingleElement(object);
    }

    @Override
    public Iterable<IEObjectDescription> getElements(EObject object) {
      return types.getElements(object);
    }

    @Override
    public Iterable<IEObjectDescription> getAllElements() {
      return types.getAllElements();
    }
  }

  @Override
  protected LinkedHashSet<URI> getImportedUris(Resource resource) {
    LinkedHashSet<URI> uris = new LinkedHashSet<>(super.getImportedUris(resource));
    uris.remove(resource.getURI());
    if (!StdLib.isStd(resource.getURI())) {
      uris.remove(StdLib.uri());
      uris.add(StdLib.uri()); // last: a file's own imports are searched first
    }
    return uris;
  }
}
