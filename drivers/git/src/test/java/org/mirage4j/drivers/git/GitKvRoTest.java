package org.mirage4j.drivers.git;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRo;
import org.mirage4j.drivers.kv.Keys;

/** A branch of a real Git repository as a store, fetched from a path, file:// and git://. */
class GitKvRoTest {

  @TempDir Path dir;

  /** A repository whose main branch has two commits and a second branch another file. */
  private RevCommit repository(Path repo) throws Exception {
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      PersonIdent who = new PersonIdent("Test", "test@example.org", Instant.ofEpochSecond(1_700_000_000), java.time.ZoneOffset.UTC);
      Files.writeString(repo.resolve("README.md"), "first\n");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("one").setAuthor(who).setCommitter(who).call();
      Files.writeString(repo.resolve("README.md"), "# mirage\n");
      Files.createDirectories(repo.resolve("docs/deep"));
      Files.writeString(repo.resolve("docs/a.txt"), "a");
      Files.writeString(repo.resolve("docs/deep/b.txt"), "bb");
      git.add().addFilepattern(".").call();
      PersonIdent later = new PersonIdent(who, Instant.ofEpochSecond(1_700_000_600), java.time.ZoneOffset.UTC);
      RevCommit head = git.commit().setMessage("two").setAuthor(later).setCommitter(later).call();
      git.branchCreate().setName("other").call();
      git.checkout().setName("other").call();
      Files.writeString(repo.resolve("other.txt"), "o");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("other").setAuthor(later).setCommitter(later).call();
      git.checkout().setName("main").call();
      return head;
    }
  }

  private static String text(KvRo kv, String key) throws IOException {
    return new String(kv.get(key), StandardCharsets.UTF_8);
  }

  @Test
  void theBranchsTreeIsTheStore() throws Exception {
    Path repo = dir.resolve("repo");
    RevCommit head = repository(repo);
    try (GitKvRo kv = new GitKvRo(repo.toUri().toString(), "refs/heads/main")) {
      kv.connect();
      assertThat(kv.commit()).isEqualTo(head.getName());
      assertThat(text(kv, "README.md")).isEqualTo("# mirage\n");
      assertThat(text(kv, "/docs/deep/b.txt")).isEqualTo("bb");
      assertThat(kv.list("")).containsExactly(
          new KvRo.Entry("README.md", KvRo.Kind.VALUE), new KvRo.Entry("docs", KvRo.Kind.DICTIONARY)).inOrder();
      assertThat(kv.list("docs")).containsExactly(
          new KvRo.Entry("a.txt", KvRo.Kind.VALUE), new KvRo.Entry("deep", KvRo.Kind.DICTIONARY)).inOrder();
      assertThat(kv.exists("docs/deep")).isEqualTo(Optional.of(KvRo.Kind.DICTIONARY));
      assertThat(kv.exists("other.txt")).isEmpty(); // another branch's file
      assertThat(kv.size("README.md")).isEqualTo(9);
      assertThat(StandardCharsets.UTF_8.decode(kv.getPartial("README.md", 2, 6)).toString()).isEqualTo("mirage");
      assertThat(kv.getPartial("README.md", 100, 4).remaining()).isEqualTo(0);
      var sha = Keys.sha256();
      assertThat(kv.digest("README.md")).isEqualTo(Keys.hex(sha.digest("# mirage\n".getBytes(StandardCharsets.UTF_8))));
      assertThat(kv.lastModified("docs/a.txt")).isEqualTo(Instant.ofEpochSecond(1_700_000_600));
      assertThrows(KvException.NotFound.class, () -> kv.get("missing"));
      assertThrows(KvException.NotFound.class, () -> kv.get("docs")); // a dictionary has no value
      assertThrows(KvException.NotFound.class, () -> kv.list("README.md"));
    }
    // the short name of a branch, and a path as the remote
    try (GitKvRo kv = new GitKvRo(repo.toString(), "other")) {
      kv.connect();
      assertThat(kv.branch()).isEqualTo("refs/heads/other");
      assertThat(text(kv, "other.txt")).isEqualTo("o");
    }
  }

  @Test
  void fetchedOverTheGitProtocolFromADaemonOnLoopback() throws Exception {
    Path repo = dir.resolve("served");
    repository(repo);
    Daemon daemon = new Daemon(new InetSocketAddress("127.0.0.1", 0));
    daemon.getService("git-upload-pack").setEnabled(true);
    daemon.setRepositoryResolver((req, name) -> {
      if (!name.replaceAll("^/+|/+$", "").equals("served")) {
        throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name);
      }
      try {
        return Git.open(repo.toFile()).getRepository();
      } catch (IOException e) {
        throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name, e);
      }
    });
    daemon.start();
    try {
      int port = daemon.getAddress().getPort();
      try (GitKvRo kv = new GitKvRo("git://127.0.0.1:" + port + "/served", "main")) {
        kv.connect();
        assertThat(text(kv, "docs/a.txt")).isEqualTo("a");
      }
      IOException missing = assertThrows(IOException.class,
          () -> new GitKvRo("git://127.0.0.1:" + port + "/nothing", "main").connect());
      assertThat(missing).hasMessageThat().startsWith("git_kv_ro: cannot fetch refs/heads/main from git://127.0.0.1:" + port + "/nothing: ");
    } finally {
      daemon.stop();
    }
  }

  @Test
  void whatCannotBeFetchedIsSaidInOneLine() throws Exception {
    Path repo = dir.resolve("repo");
    repository(repo);
    IOException noBranch = assertThrows(IOException.class, () -> new GitKvRo(repo.toString(), "develop").connect());
    assertThat(noBranch).hasMessageThat().isEqualTo(
        "git_kv_ro: " + repo + " has no branch refs/heads/develop (branches: refs/heads/main, refs/heads/other)");
    IOException noRepo = assertThrows(IOException.class,
        () -> new GitKvRo(dir.resolve("absent").toString(), "main").connect());
    assertThat(noRepo).hasMessageThat().startsWith("git_kv_ro: cannot fetch refs/heads/main from " + dir.resolve("absent") + ": ");
    // nothing listens there: refused at once
    IOException refused = assertThrows(IOException.class, () -> new GitKvRo("git://127.0.0.1:1/x", "main").connect());
    assertThat(refused).hasMessageThat().startsWith("git_kv_ro: cannot fetch refs/heads/main from git://127.0.0.1:1/x: ");
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> new GitKvRo(" ", "main"));
    assertThat(empty).hasMessageThat().contains("the remote is empty");
    GitKvRo notConnected = new GitKvRo(repo.toString(), "main");
    assertThat(assertThrows(IllegalStateException.class, () -> notConnected.get("README.md")))
        .hasMessageThat().contains("is not connected");
  }
}
