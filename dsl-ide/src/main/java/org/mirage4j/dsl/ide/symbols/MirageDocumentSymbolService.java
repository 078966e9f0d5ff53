package org.mirage4j.dsl.ide.symbols;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EClass;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.lsp4j.Location;
import org.eclipse.lsp4j.SymbolKind;
import org.eclipse.xtext.findReferences.IReferenceFinder;
import org.eclipse.xtext.findReferences.TargetURIs;
import org.eclipse.xtext.ide.server.DocumentExtensions;
import org.eclipse.xtext.ide.server.UriExtensions;
import org.eclipse.xtext.ide.server.symbol.DocumentSymbolService;
import org.eclipse.xtext.resource.EObjectAtOffsetHelper;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.service.OperationCanceledManager;
import org.eclipse.xtext.util.CancelIndicator;
import org.mirage4j.dsl.StdLib;

/**
 * Go-to-definition and find-references for {@code .mirage}:
 *
 * <ul>
 *   <li>a definition in the standard library (inside the language jar, outside every workspace
 *       folder) is read from the resource set of the file asking, and shown as the read-only copy
 *       of {@link StdCopy};
 *   <li>Java-type references ({@code java:/...} URIs) are skipped: there is no source to show, and
 *       Xtext's default would fail with "Cannot create a resource for 'java:/...'".
 * </ul>
 */
@Singleton
public class MirageDocumentSymbolService extends DocumentSymbolService {

  @Inject private EObjectAtOffsetHelper offsetHelper;
  @Inject private DocumentExtensions documentExtensions;
  @Inject private UriExtensions uriExtensions;
  @Inject private OperationCanceledManager canceledManager;

  @Override
  public List<? extends Location> getDefinitions(
      XtextResource resource,
      int offset,
      IReferenceFinder.IResourceAccess resourceAccess,
      CancelIndicator cancelIndicator) {
    EObject element = offsetHelper.getElementWithNameAt(resource, offset);
    if (element == null || element.eIsProxy()) {
      return Collections.emptyList();
    }
    List<Location> locations = new ArrayList<>();
    TargetURIs targets = collectTargetURIs(element);
    for (URI target : targets) {
      canceledManager.checkCanceled(cancelIndicator);
      if (isJava(target)) {
        continue;
      }
      if (StdLib.isStd(target.trimFragment())) {
        EObject obj = resource.getResourceSet().getEObject(target, true);
        Location location = obj == null ? null : documentExtensions.newLocation(obj);
        if (location != null) {
          location.setUri(uriExtensions.toUriString(StdCopy.uri()));
          locations.add(location);
        }
        continue;
      }
      doRead(
          resourceAccess,
          target,
          obj -> {
            Location location = documentExtensions.newLocation(obj);
            if (location != null) {
              locations.add(location);
            }
          });
    }
    return locations;
  }

  @Override
  protected void doRead(
      IReferenceFinder.IResourceAccess resourceAccess,
      URI objectURI,
      org.eclipse.xtext.xbase.lib.Procedures.Procedure1<? super EObject> acceptor) {
    if (isJava(objectURI)) {
      return;
    }
    super.doRead(resourceAccess, objectURI, acceptor);
  }

  @Override
  protected SymbolKind getSymbolKind(EClass type) {
    return MirageSymbolKinds.of(type);
  }

  static boolean isJava(URI uri) {
    return uri != null && "java".equals(uri.scheme());
  }
}
