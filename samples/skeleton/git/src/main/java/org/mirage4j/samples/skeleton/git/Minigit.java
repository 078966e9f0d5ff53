package org.mirage4j.samples.skeleton.git;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.mirage4j.api.ExitStatus;
import org.mirage4j.api.Job;
import org.mirage4j.drivers.git.GitRepository;

/**
 * The original's {@code start}, with JGit where it uses ocaml-git's {@code Sync}: fetch the
 * branch, make an empty commit on it (the first of the branch when the remote has none), push
 * it, fetch again and compare the remote's branch with the commit made.
 */
public final class Minigit implements Job {

  private static final System.Logger LOG = System.getLogger("application");

  private final GitRepository git;
  private final String remote;
  private final String branch;

  /** The wiring passes the repository and the runtime keys {@code --remote} and {@code --branch}. */
  public Minigit(GitRepository git, String remote, String branch) {
    this.git = git;
    this.remote = remote;
    this.branch = branch.startsWith(Constants.R_REFS) ? branch : Constants.R_HEADS + branch;
  }

  @Override
  public void start() throws IOException {
    Repository repo = git.repository();
    URIish uri;
    try {
      uri = new URIish(remote);
    } catch (URISyntaxException e) {
      throw ExitStatus.of(64, "minigit: '" + remote + "' is not a Git remote: " + e.getMessage());
    }
    ObjectId fetched = fetch(repo, uri);
    LOG.log(Level.INFO, fetched == null ? branch + " is not on " + remote + " yet" : "fetched " + branch + " at " + fetched.name());
    ObjectId made = emptyCommit(repo, fetched);
    try (Transport transport = Transport.open(repo, uri)) {
      RefSpec spec = new RefSpec(branch + ":" + branch);
      PushResult result = transport.push(NullProgressMonitor.INSTANCE, transport.findRemoteRefUpdatesFor(List.of(spec)));
      RemoteRefUpdate update = result.getRemoteUpdate(branch);
      if (update == null || update.getStatus() != RemoteRefUpdate.Status.OK) {
        throw ExitStatus.of(1, "minigit: the push of " + branch + " to " + remote + " was refused: "
            + (update == null ? "no answer" : update.getStatus() + (update.getMessage() == null ? "" : " (" + update.getMessage() + ")")));
      }
    }
    LOG.log(Level.INFO, "pushed " + made.name() + " to " + branch);
    ObjectId again = fetch(repo, uri);
    if (!made.equals(again)) {
      throw ExitStatus.of(1, "minigit: " + branch + " of " + remote + " is " + (again == null ? "gone" : again.name())
          + " after the push, not " + made.name());
    }
    LOG.log(Level.INFO, "fetched " + branch + " again: " + again.name());
  }

  /** Fetches the branch into the same ref here; {@code null} when the remote has no such branch. */
  private ObjectId fetch(Repository repo, URIish uri) throws IOException {
    try (Transport transport = Transport.open(repo, uri)) {
      transport.setTagOpt(TagOpt.NO_TAGS);
      Map<String, Ref> advertised;
      try (FetchConnection connection = transport.openFetch()) {
        advertised = connection.getRefsMap();
      }
      if (!advertised.containsKey(branch)) {
        return null;
      }
      transport.fetch(NullProgressMonitor.INSTANCE, List.of(new RefSpec("+" + branch + ":" + branch)));
    }
    return repo.exactRef(branch).getObjectId();
  }

  /** An empty commit on {@code parent} (with its tree), or the branch's first, with the empty tree. */
  private ObjectId emptyCommit(Repository repo, ObjectId parent) throws IOException {
    PersonIdent author = new PersonIdent("minigit", "minigit@mirage4j.org", Instant.now(), ZoneId.systemDefault());
    ObjectId made;
    try (ObjectInserter inserter = repo.newObjectInserter(); RevWalk walk = new RevWalk(repo)) {
      CommitBuilder commit = new CommitBuilder();
      if (parent == null) {
        commit.setTreeId(inserter.insert(new TreeFormatter()));
      } else {
        RevCommit p = walk.parseCommit(parent);
        commit.setTreeId(p.getTree());
        commit.setParentId(parent);
      }
      commit.setAuthor(author);
      commit.setCommitter(author);
      commit.setMessage("");
      made = inserter.insert(commit);
      inserter.flush();
    }
    RefUpdate update = repo.updateRef(branch);
    update.setNewObjectId(made);
    update.setForceUpdate(true);
    RefUpdate.Result r = update.update();
    if (r != RefUpdate.Result.NEW && r != RefUpdate.Result.FORCED && r != RefUpdate.Result.FAST_FORWARD) {
      throw new IOException("minigit: cannot move " + branch + " to the new commit: " + r);
    }
    return made;
  }
}
