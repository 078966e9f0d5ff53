package org.mirage4j.dsl.scoping;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.xtext.EcoreUtil2;
import org.mirage4j.dsl.StdLib;
import org.mirage4j.dsl.mirage.Element;
import org.mirage4j.dsl.mirage.Import;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.mirage.TargetDecl;

/**
 * The files a configuration sees, in lookup order: itself, the files it imports, then the standard
 * library. The same order as {@link org.mirage4j.dsl.scoping.MirageGlobalScopeProvider}.
 */
public final class Visible {

  private Visible() {}

  /** The visible files; imports that do not load are skipped (the validator reports them). */
  public static List<MirageFile> files(MirageFile file) {
    Resource resource = file.eResource();
    Set<URI> uris = new LinkedHashSet<>();
    if (resource != null) {
      uris.add(resource.getURI());
      for (Import i : file.getImports()) {
        if (i.getImportURI() != null && !i.getImportURI().isBlank()) {
          URI uri = URI.createURI(i.getImportURI());
          if (uri.isRelative() && resource.getURI() != null && !resource.getURI().isRelative()) {
            uri = uri.resolve(resource.getURI());
          }
          uris.add(uri);
        }
      }
      uris.add(StdLib.uri());
    }
    List<MirageFile> files = new ArrayList<>();
    if (resource == null) {
      files.add(file);
      return files;
    }
    for (URI uri : uris) {
      try {
        Resource r =
            uri.equals(resource.getURI()) ? resource : EcoreUtil2.getResource(resource, uri.toString());
        if (r != null && !r.getContents().isEmpty() && r.getContents().get(0) instanceof MirageFile f) {
          files.add(f);
        }
      } catch (RuntimeException e) {
        // an import that does not load is reported by the import validator
      }
    }
    return files;
  }

  /** Every visible target, first declaration of each name winning. */
  public static List<TargetDecl> targets(MirageFile file) {
    return elements(file, TargetDecl.class);
  }

  /** Every visible key, first declaration of each name winning. */
  public static List<KeyDecl> keys(MirageFile file) {
    return elements(file, KeyDecl.class);
  }

  private static <T extends Element> List<T> elements(MirageFile file, Class<T> type) {
    List<T> result = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    for (MirageFile f : files(file)) {
      for (Element e : f.getElements()) {
        if (type.isInstance(e)) {
          String name = e instanceof KeyDecl k ? k.getName() : ((TargetDecl) e).getName();
          if (name != null && names.add(name)) {
            result.add(type.cast(e));
          }
        }
      }
    }
    return result;
  }
}
