package org.mirage4j.samples.skeleton.git;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

/**
 * As the README of the original: a bare repository served by a Git daemon with receive-pack on
 * (here JGit's, on 127.0.0.1), and the program run against it. Each run adds one empty commit on
 * top of the branch, with the same tree; on an empty repository, the branch's first commit, with
 * the empty tree.
 */
class MinigitEndToEndTest {

  @TempDir Path dir;

  private static Daemon serve(Path bare) throws IOException {
    Daemon daemon = new Daemon(new InetSocketAddress("127.0.0.1", 0));
    daemon.getService("git-upload-pack").setEnabled(true);
    daemon.getService("git-receive-pack").setEnabled(true);
    daemon.setRepositoryResolver((req, name) -> {
      try {
        return Git.open(bare.toFile()).getRepository();
      } catch (IOException e) {
        throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name, e);
      }
    });
    daemon.start();
    return daemon;
  }

  private void run(String remote, String... more) throws Exception {
    String[] args = new String[more.length + 2];
    args[0] = "-r";
    args[1] = remote;
    System.arraycopy(more, 0, args, 2, more.length);
    try (UnikernelProcess p = UnikernelProcess.start(dir, args)) {
      assertWithTranscript(p, p.awaitExit());
    }
  }

  private static void assertWithTranscript(UnikernelProcess p, int status) {
    if (status != 0) {
      throw new AssertionError("exit " + status + "\n" + p.transcript());
    }
  }

  private static RevCommit head(Path bare, String branch) throws IOException {
    try (Repository r = Git.open(bare.toFile()).getRepository(); RevWalk walk = new RevWalk(r)) {
      ObjectId id = r.resolve(branch);
      return id == null ? null : walk.parseCommit(id);
    }
  }

  @Test
  void eachRunPushesOneEmptyCommitOnTopOfTheBranch() throws Exception {
    Path bare = dir.resolve("simple");
    Git.init().setBare(true).setDirectory(bare.toFile()).call().close();
    Daemon daemon = serve(bare);
    try {
      String remote = "git://127.0.0.1:" + daemon.getAddress().getPort() + "/simple";
      run(remote);
      RevCommit first = head(bare, "refs/heads/master");
      assertThat(first).isNotNull();
      assertThat(first.getParentCount()).isEqualTo(0);
      assertThat(first.getTree().getId()).isEqualTo(ObjectId.fromString(Constants.EMPTY_TREE_ID.name()));
      run(remote);
      RevCommit second = head(bare, "refs/heads/master");
      assertThat(second.getParentCount()).isEqualTo(1);
      assertThat(second.getParent(0).getId()).isEqualTo(first.getId());
      assertThat(second.getTree().getId()).isEqualTo(first.getTree().getId());
    } finally {
      daemon.stop();
    }
  }

  @Test
  void aBranchWithFilesKeepsItsTreeAndTheOtherBranchesAreLeftAlone() throws Exception {
    Path work = dir.resolve("work");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.writeString(work.resolve("README.md"), "art\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("art").setSign(false).call();
    }
    Path bare = dir.resolve("art.git");
    Git.cloneRepository().setURI(work.toUri().toString()).setBare(true).setDirectory(bare.toFile()).call().close();
    RevCommit before = head(bare, "refs/heads/main");
    // a local remote: the path of the bare repository
    run(bare.toString(), "--branch=main");
    RevCommit after = head(bare, "refs/heads/main");
    assertThat(after.getParent(0).getId()).isEqualTo(before.getId());
    assertThat(after.getTree().getId()).isEqualTo(before.getTree().getId());
    assertThat(head(bare, "refs/heads/master")).isNull();
  }

  @Test
  void aRemoteThatCannotBeReachedIsAFailureWithTheReason() throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, "-r", "git://127.0.0.1:1/simple")) {
      assertThat(p.awaitExit()).isEqualTo(1);
      assertThat(p.transcript()).contains("git://127.0.0.1:1/simple");
    }
    try (UnikernelProcess p = UnikernelProcess.start(dir)) {
      assertThat(p.awaitExit()).isEqualTo(64); // --remote is required
      assertThat(p.transcript()).contains("--remote");
    }
  }
}
