package org.mirage4j.dsl.check;

import static org.mirage4j.dsl.mirage.MiragePackage.Literals.IMPORT__IMPORT_URI;

import java.util.Map;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.resource.ResourceSet;
import org.mirage4j.dsl.mirage.Import;

/**
 * Imports, with a message of their own instead of Xtext's ImportUriValidator: an import names a
 * {@code .mirage} file that exists, relative to the importing file.
 */
public class ImportChecks {

  /** One import. */
  public void checkImport(Import i, Problems problems) {
    if (i.getImportURI() == null || i.getImportURI().isBlank()) {
      problems.error("the import names no file; write import \"other.mirage\"", i, IMPORT__IMPORT_URI);
      return;
    }
    if (!i.getImportURI().endsWith(".mirage")) {
      problems.error("import '" + i.getImportURI() + "' must name a .mirage file", i, IMPORT__IMPORT_URI);
      return;
    }
    Resource resource = i.eResource();
    if (resource == null) {
      return;
    }
    URI uri = URI.createURI(i.getImportURI());
    if (uri.isRelative() && resource.getURI() != null && !resource.getURI().isRelative()) {
      uri = uri.resolve(resource.getURI());
    }
    // a missing file may have been tried already (an empty resource): ask the file system
    ResourceSet resourceSet = resource.getResourceSet();
    Resource loaded = resourceSet == null ? null : resourceSet.getResource(uri, false);
    boolean exists =
        (loaded != null && !loaded.getContents().isEmpty())
            || (resourceSet != null
                && resourceSet.getURIConverter().exists(resourceSet.getURIConverter().normalize(uri), Map.of()));
    if (!exists) {
      problems.error(
          "cannot find the imported file '" + i.getImportURI() + "'; the path is relative to this file",
          i, IMPORT__IMPORT_URI);
    }
  }
}
