package org.mirage4j.dsl.scoping;

import com.google.common.base.Predicate;
import com.google.inject.Inject;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EClassifier;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.util.EcoreUtil;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.scoping.IGlobalScopeProvider;
import org.eclipse.xtext.scoping.IScope;
import org.eclipse.xtext.scoping.impl.ImportedNamespaceAwareLocalScopeProvider;
import org.eclipse.xtext.util.IResourceScopeCache;
import org.eclipse.xtext.util.Tuples;
import org.mirage4j.dsl.mirage.MiragePackage;

/**
 * The local scope of a file: its own declarations, then (as the parent scope) what it imports and
 * the standard library. The same scope as Xtext's {@link ImportedNamespaceAwareLocalScopeProvider}
 * gives, built once per file and reference instead of once per reference to resolve.
 *
 * <p>Xtext's provider walks up from the context and wraps the file's scope in one layer per
 * named container ({@code device d0 = ...}), looking names up relative to it ({@code d0.x}), and
 * one per {@code importedNamespace} attribute. In this language every name is a single segment (a
 * top-level declaration's simple name, {@link MirageQualifiedNameProvider}) and no element has an
 * {@code importedNamespace}, so no such layer ever finds or hides anything: the scope of every
 * context of a file is its file-level scope, which is what this provider returns.
 *
 * <p>The global scope below it (what the file imports and the standard library; building it looks
 * up the description of every one of those files again) is kept in the file's resource cache,
 * which is dropped whenever the file changes. The linker's wrapper, which records the names a file
 * looks up in other files (the builder's dependencies), is applied to it on every request, as
 * before, never cached with it.
 */
public class MirageLocalScopeProvider extends ImportedNamespaceAwareLocalScopeProvider {

  /** Whether some element of the language has an {@code importedNamespace}; then nothing is cached. */
  private static final boolean NAMESPACE_IMPORTS = hasImportedNamespace();

  @Inject private IResourceScopeCache cache;
  @Inject private IGlobalScopeProvider globalScopes;

  private static boolean hasImportedNamespace() {
    for (EClassifier c : MiragePackage.eINSTANCE.getEClassifiers()) {
      if (c instanceof EClass e && e.getEStructuralFeature("importedNamespace") != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public IScope getScope(EObject context, EReference reference) {
    Resource resource = context == null ? null : context.eResource();
    if (NAMESPACE_IMPORTS
        || resource == null
        || resource.getContents().isEmpty()
        || EcoreUtil.getRootContainer(context) != resource.getContents().get(0)) {
      return super.getScope(context, reference);
    }
    return getResourceScope(resource, reference);
  }

  @Override
  protected IScope getGlobalScope(Resource context, EReference reference, Predicate<IEObjectDescription> filter) {
    if (filter != null) {
      return super.getGlobalScope(context, reference, filter);
    }
    IScope global = cache.get(
        Tuples.create(MirageLocalScopeProvider.class, reference),
        context,
        () -> globalScopes.getScope(context, reference, null));
    return wrap(global);
  }
}
