package org.mirage4j.dsl.ide.rename;

import org.eclipse.emf.ecore.EObject;
import org.eclipse.lsp4j.WorkspaceEdit;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.xtext.common.types.JvmIdentifiableElement;
import org.eclipse.xtext.ide.refactoring.RefactoringIssueAcceptor;
import org.eclipse.xtext.ide.server.ILanguageServerAccess;
import org.eclipse.xtext.ide.server.rename.IRenameService2;
import org.eclipse.xtext.ide.server.rename.RenameService2;
import org.eclipse.xtext.ide.server.rename.ServerRefactoringIssueAcceptor;
import org.mirage4j.dsl.StdLib;

/**
 * Rename, refusing what is not the user's to rename: names of the standard library (inside the
 * language jar) and Java classes.
 */
public class MirageRenameService extends RenameService2 {

  /**
   * Renames; a refused rename reaches the client as an error whose message says why (Xtext's
   * own would read "Internal error" once wrapped by its request manager).
   */
  @Override
  public WorkspaceEdit rename(IRenameService2.Options options) {
    try {
      return super.rename(options);
    } catch (Exception e) { // Xtext rethrows a checked ExecutionException undeclared
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ResponseErrorException r) {
          ResponseError error = r.getResponseError();
          String why = error.getData() == null ? "" : ": " + String.valueOf(error.getData()).replace('\n', ' ');
          throw new ResponseErrorException(
              new ResponseError(error.getCode(), error.getMessage() + why, error.getData()));
        }
      }
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
  }

  @Override
  protected void applyModifications(
      EObject target,
      WorkspaceEdit workspaceEdit,
      ServerRefactoringIssueAcceptor issues,
      IRenameService2.Options options,
      ILanguageServerAccess.Context context) {
    if (target instanceof JvmIdentifiableElement j) {
      issues.add(
          RefactoringIssueAcceptor.Severity.FATAL,
          "'" + j.getIdentifier() + "' is a Java class: rename it in Java, then here");
      return;
    }
    if (target != null && target.eResource() != null && StdLib.isStd(target.eResource().getURI())) {
      issues.add(
          RefactoringIssueAcceptor.Severity.FATAL,
          "names of the standard library (std.mirage) cannot be renamed; declare a device of your own"
              + " instead");
      return;
    }
    super.applyModifications(target, workspaceEdit, issues, options, context);
  }
}
