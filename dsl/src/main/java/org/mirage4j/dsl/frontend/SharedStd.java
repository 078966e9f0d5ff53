package org.mirage4j.dsl.frontend;

import com.google.inject.Injector;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Iterator;
import java.util.List;
import org.eclipse.emf.common.notify.Notification;
import org.eclipse.emf.common.util.URI;
import org.eclipse.emf.ecore.EObject;
import org.eclipse.emf.ecore.EReference;
import org.eclipse.emf.ecore.resource.Resource;
import org.eclipse.emf.ecore.util.EContentAdapter;
import org.eclipse.xtext.common.types.TypesPackage;
import org.eclipse.xtext.nodemodel.ICompositeNode;
import org.eclipse.xtext.nodemodel.util.NodeModelUtils;
import org.eclipse.xtext.resource.IEObjectDescription;
import org.eclipse.xtext.resource.IResourceDescription;
import org.eclipse.xtext.resource.SynchronizedXtextResourceSet;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.mirage4j.dsl.StdLib;

/**
 * The standard library, parsed, linked and indexed once per JVM for every session that has no
 * class path, instead of once per session: its text, and so what it means, is the same for all of
 * them, and without a class path its Java classes resolve to nothing for all of them alike.
 *
 * <p>Sessions only read it: every reference in it is resolved before it is shared (the Java types
 * that cannot resolve without a class path are set to {@code null}, which every reader treats as
 * it treats an unresolved one: no type, the name as written), its index and the lazily computed
 * parts of its node model are computed then too, and a guard fails any session that would change
 * it. A session sees it through its own {@link Set}, which hands it out for the standard library's
 * URI; the session's own files stay in the session's resource set.
 *
 * <p>Sessions with a class path keep loading the standard library themselves: its Java types
 * resolve against that class path.
 */
final class SharedStd {

  private static final Object LOCK = new Object();
  private static volatile Resource shared;
  private static volatile boolean unavailable;

  private SharedStd() {}

  /** The shared standard library, loaded on first use; {@code null} if it cannot be shared. */
  static Resource get(Injector injector) {
    Resource r = shared;
    if (r != null || unavailable) {
      return r;
    }
    synchronized (LOCK) {
      if (shared == null && !unavailable) {
        Resource loaded = null;
        try {
          loaded = load(injector);
        } catch (RuntimeException e) {
          loaded = null;
        }
        if (loaded == null) {
          unavailable = true; // each session loads its own, as before
        } else {
          shared = loaded;
        }
      }
      return shared;
    }
  }

  /** A session's resource set: the standard library is the shared one. */
  static final class Set extends SynchronizedXtextResourceSet {
    private final Resource std;

    Set(Resource std) {
      this.std = std;
    }

    @Override
    public Resource getResource(URI uri, boolean loadOnDemand) {
      if (StdLib.isStd(uri)) {
        return std;
      }
      return super.getResource(uri, loadOnDemand);
    }
  }

  private static Resource load(Injector injector) {
    XtextResourceSet set = injector.getInstance(XtextResourceSet.class);
    // what a session without a class path has: the platform's classes only
    set.setClasspathURIContext(new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader()));
    set.addLoadOption(XtextResource.OPTION_RESOLVE_ALL, Boolean.TRUE);
    Resource std = set.getResource(StdLib.uri(), true);
    if (!(std instanceof XtextResource x) || std.getContents().isEmpty() || x.getParseResult() == null) {
      return null;
    }
    if (!resolveCompletely(std)) {
      return null;
    }
    // what readers compute lazily, computed now, before any session shares it
    IResourceDescription description =
        injector.getInstance(IResourceDescription.Manager.class).getResourceDescription(std);
    for (IEObjectDescription d : description.getExportedObjects()) {
      d.getEObjectURI();
      description.getExportedObjects(d.getEClass(), d.getName(), false).iterator().hasNext();
      description.getExportedObjects(d.getEClass(), d.getName(), true).iterator().hasNext();
    }
    ICompositeNode root = x.getParseResult().getRootNode();
    root.getStartLine();
    root.getEndLine();
    for (Iterator<EObject> i = std.getAllContents(); i.hasNext(); ) {
      ICompositeNode node = NodeModelUtils.findActualNodeFor(i.next());
      if (node != null) {
        node.getStartLine();
      }
    }
    std.eAdapters().add(new ReadOnly());
    return std;
  }

  /**
   * Leaves no proxy: every reference resolved, and a Java type that does not resolve (none does
   * without a class path) set to {@code null}. {@code false} if another reference does not resolve.
   */
  private static boolean resolveCompletely(Resource std) {
    for (Iterator<EObject> i = std.getAllContents(); i.hasNext(); ) {
      EObject obj = i.next();
      for (EReference ref : obj.eClass().getEAllReferences()) {
        if (ref.isContainment() || ref.isContainer() || ref.isDerived() || !ref.isChangeable()) {
          continue;
        }
        if (ref.isMany()) {
          for (Object o : (List<?>) obj.eGet(ref, true)) {
            if (o instanceof EObject e && e.eIsProxy()) {
              return false;
            }
          }
        } else if (obj.eGet(ref, true) instanceof EObject e && e.eIsProxy()) {
          if (!TypesPackage.Literals.JVM_TYPE.isSuperTypeOf(ref.getEReferenceType())
              && ref.getEReferenceType() != TypesPackage.Literals.JVM_TYPE) {
            return false;
          }
          obj.eSet(ref, null);
        }
      }
    }
    return true;
  }

  /** Fails whoever changes the shared standard library: a session must only read it. */
  private static final class ReadOnly extends EContentAdapter {
    @Override
    public void notifyChanged(Notification n) {
      super.notifyChanged(n);
      if (!n.isTouch() && n.getEventType() != Notification.REMOVING_ADAPTER) {
        throw new IllegalStateException(
            "the shared standard library must not be changed by a session: " + n);
      }
    }
  }
}
