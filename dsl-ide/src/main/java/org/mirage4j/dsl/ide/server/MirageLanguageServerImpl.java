package org.mirage4j.dsl.ide.server;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.InitializeParams;
import org.eclipse.lsp4j.InitializeResult;
import org.eclipse.xtext.ide.server.LanguageServerImpl;

/**
 * Xtext's language server, made to accept a client that names no workspace folder (an editor
 * opening a single file): the server's working directory is then the workspace, instead of the
 * {@code initialize} request failing.
 */
public class MirageLanguageServerImpl extends LanguageServerImpl {

  @Override
  public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
    boolean noFolders = params.getWorkspaceFolders() == null || params.getWorkspaceFolders().isEmpty();
    @SuppressWarnings("deprecation")
    boolean noRoot = params.getRootUri() == null && params.getRootPath() == null;
    if (noFolders && noRoot) {
      params.setRootUri(Path.of("").toAbsolutePath().toUri().toString());
    }
    return super.initialize(params);
  }
}
