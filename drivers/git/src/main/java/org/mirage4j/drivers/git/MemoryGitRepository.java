package org.mirage4j.drivers.git;

import java.io.IOException;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.util.FS;

/**
 * std's {@code git_memory}: an empty Git repository held in memory (MirageOS's {@code Git.Mem}),
 * nothing written to the host; it lives as long as the program. Its transports (fetch, push) are
 * JGit's, over the host's sockets or its files.
 */
public final class MemoryGitRepository implements GitRepository {

  private volatile InMemoryRepository repository;

  @Override
  public void connect() throws IOException {
    repository = inMemory("git_memory");
  }

  /** An empty repository in memory that can fetch from any remote JGit speaks, local ones too. */
  static InMemoryRepository inMemory(String name) throws IOException {
    // the file system is what a local remote (a path, file://) is read with
    return new InMemoryRepository.Builder()
        .setRepositoryDescription(new DfsRepositoryDescription(name))
        .setFS(FS.DETECTED)
        .build();
  }

  @Override
  public Repository repository() {
    Repository r = repository;
    if (r == null) {
      throw new IllegalStateException("git_memory is not connected");
    }
    return r;
  }

  @Override
  public void close() {
    Repository r = repository;
    repository = null;
    if (r != null) {
      r.close();
    }
  }

  @Override
  public String toString() {
    return "MemoryGitRepository";
  }
}
