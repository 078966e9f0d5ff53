package org.mirage4j.dsl.ide.server;

import java.net.URLClassLoader;
import org.eclipse.xtext.ide.server.ProjectManager;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.resource.impl.ResourceDescriptionsData;

/**
 * A workspace folder: Java types in its {@code .mirage} files resolve against the project's own
 * class path ({@link ProjectClasspath}), never against the language server's.
 */
public class MirageProjectManager extends ProjectManager {

  private URLClassLoader classLoader;

  @Override
  public XtextResourceSet createNewResourceSet(ResourceDescriptionsData newIndex) {
    XtextResourceSet rs = super.createNewResourceSet(newIndex);
    rs.setClasspathURIContext(classLoader());
    return rs;
  }

  private synchronized URLClassLoader classLoader() {
    if (classLoader == null) {
      classLoader = ProjectClasspath.of(getBaseDir()).classLoader();
    }
    return classLoader;
  }

  @Override
  public void aboutToRemoveFromWorkspace() {
    super.aboutToRemoveFromWorkspace();
    synchronized (this) {
      if (classLoader != null) {
        try {
          classLoader.close();
        } catch (java.io.IOException e) {
          // nothing to do: the loader is dropped anyway
        }
        classLoader = null;
      }
    }
  }
}
