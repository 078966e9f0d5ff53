package org.mirage4j.dsl.ide.server;

import java.util.ArrayList;
import java.util.List;
import org.apache.log4j.Logger;
import org.eclipse.emf.common.util.URI;
import org.eclipse.xtext.ide.server.BuildManager;
import org.eclipse.xtext.ide.server.WorkspaceManager;

/**
 * Xtext's workspace manager, made safe for documents outside every workspace folder (an editor may
 * open any file, including the read-only copy of the standard library that go-to-definition shows):
 * such files are not built, instead of failing the build of the whole workspace.
 */
public class MirageWorkspaceManager extends WorkspaceManager {

  private static final Logger LOG = Logger.getLogger(MirageWorkspaceManager.class);

  @Override
  public BuildManager.Buildable didChangeFiles(List<URI> dirtyFiles, List<URI> deletedFiles) {
    return super.didChangeFiles(inWorkspace(dirtyFiles), inWorkspace(deletedFiles));
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
