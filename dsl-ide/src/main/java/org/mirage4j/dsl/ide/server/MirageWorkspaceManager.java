package org.mirage4j.dsl.ide.server;

import java.util.ArrayList;
import java.util.List;
import org.apache.log4j.Logger;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.ide.server.BuildManager;
import org.eclipse.xtext.ide.server.Document;
import org.eclipse.xtext.ide.server.ProjectManager;
import org.eclipse.xtext.ide.server.WorkspaceManager;
import org.eclipse.xtext.resource.XtextResource;
import org.eclipse.xtext.resource.XtextResourceSet;
import org.eclipse.xtext.xbase.lib.Functions.Function2;

/**
 * Xtext's workspace manager, made safe for documents outside every workspace folder (an editor may
 * open any file, including the read-only copy of the standard library that go-to-definition shows):
 * such files are not built, instead of failing the build of the whole workspace; requests on them
 * (hover, definition, outline, ...) read them in a throw-away resource set of the first project.
 */
public class MirageWorkspaceManager extends WorkspaceManager {

  private static final Logger LOG = Logger.getLogger(MirageWorkspaceManager.class);

  @Override
  public BuildManager.Buildable didChangeFiles(List<URI> dirtyFiles, List<URI> deletedFiles) {
    return super.didChangeFiles(inWorkspace(dirtyFiles), inWorkspace(deletedFiles));
  }

  @Override
  public <T> T doRead(URI uri, Function2<? super Document, ? super XtextResource, ? extends T> work) {
    URI resourceURI = uri.trimFragment();
    List<ProjectManager> projects = getProjectManagers();
    if (getProjectManager(resourceURI) == null
        && !projects.isEmpty()
        && "mirage".equals(resourceURI.fileExtension())) {
      XtextResource resource;
      try {
        ProjectManager project = projects.get(0);
        XtextResourceSet rs = project.createNewResourceSet(project.getIndexState().getResourceDescriptions());
        resource = (XtextResource) rs.getResource(resourceURI, true);
      } catch (RuntimeException e) {
        LOG.info("cannot read " + resourceURI + ": " + e);
        return super.doRead(uri, work);
      }
      return work.apply(getDocument(resource), resource);
    }
    return super.doRead(uri, work);
  }

  private List<URI> inWorkspace(List<URI> uris) {
    List<URI> result = new ArrayList<>(uris.size());
    for (URI uri : uris) {
      if (getProjectManager(uri) != null) {
        result.add(uri);
      } else {
        LOG.info("not in any workspace folder, not built: " + uri);
      }
    }
    return result;
  }
}
