package org.mirage4j.samples.skeleton.docteur;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

/**
 * As the original: the program fetches the branch of the remote and logs the file's contents, or
 * the store's error. The remote is a repository made here, served over git:// on loopback by
 * JGit's daemon, and read from its path.
 */
class DocteurEndToEndTest {

  @TempDir Path dir;

  private Path repository() throws Exception {
    Path repo = dir.resolve("mirage");
    try (Git git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call()) {
      Files.writeString(repo.resolve("README.md"), "MirageOS is a library operating system");
      Files.createDirectories(repo.resolve("lib"));
      Files.writeString(repo.resolve("lib/mirage.ml"), "let () = ()");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("first").setSign(false).call();
    }
    return repo;
  }

  private static List<String> run(Path dir, String... args) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, args)) {
      assertThat(p.awaitExit()).isEqualTo(0);
      return p.stdout();
    }
  }

  private static List<String> application(List<String> out) {
    return out.stream().filter(l -> l.contains("[application] ")).map(l -> l.substring(l.indexOf("Z: [") + 3)).toList();
  }

  @Test
  void printsTheFileOfTheBranchFetchedOverGit() throws Exception {
    Path repo = repository();
    Daemon daemon = new Daemon(new InetSocketAddress("127.0.0.1", 0));
    daemon.getService("git-upload-pack").setEnabled(true);
    daemon.setRepositoryResolver((req, name) -> {
      try {
        return Git.open(repo.toFile()).getRepository();
      } catch (IOException e) {
        throw new org.eclipse.jgit.errors.RepositoryNotFoundException(name, e);
      }
    });
    daemon.start();
    try {
      String remote = "git://127.0.0.1:" + daemon.getAddress().getPort() + "/mirage";
      assertThat(application(run(dir, "-r", remote, "--filename=README.md")))
          .containsExactly("[INFO] [application] MirageOS is a library operating system");
      assertThat(application(run(dir, "--remote=" + remote, "--filename=lib/mirage.ml", "--branch=refs/heads/main")))
          .containsExactly("[INFO] [application] let () = ()");
      // a file the branch does not have: the store's error, logged
      assertThat(application(run(dir, "-r", remote, "--filename=nothing.txt")))
          .containsExactly("[ERROR] [application] Error: no such key: nothing.txt.");
    } finally {
      daemon.stop();
    }
  }

  @Test
  void aRemoteThatCannotBeFetchedStopsTheProgramWithTheReason() throws Exception {
    Path repo = repository();
    try (UnikernelProcess p = UnikernelProcess.start(dir, "-r", repo.toString(), "--branch=develop", "--filename=README.md")) {
      assertThat(p.awaitExit()).isEqualTo(1);
      assertThat(p.transcript()).contains("git_kv_ro: " + repo + " has no branch refs/heads/develop (branches: refs/heads/main)");
    }
    try (UnikernelProcess p = UnikernelProcess.start(dir, "-r", repo.toString())) {
      assertThat(p.awaitExit()).isEqualTo(64); // --filename is required
      assertThat(p.transcript()).contains("--filename");
    }
  }
}
