package org.mirage4j.drivers.git;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.mirage4j.api.KvRo;
import org.mirage4j.drivers.kv.Keys;
import org.mirage4j.drivers.kv.KvTree;

/**
 * A read-only store of the files of one branch of a Git remote, as MirageOS's docteur: when it
 * connects, the branch's last commit is fetched (with Eclipse JGit, into memory: nothing is written
 * to the host) and its tree becomes the store. A key is a path in the tree; a dictionary is a
 * directory; a value's last modification is the commit's time. The remote is any URL JGit speaks
 * ({@code https://}, {@code http://}, {@code git://}, {@code ssh://}, {@code file://} or a path);
 * the branch is a full ref ({@code refs/heads/main}) or a branch's short name ({@code main}).
 *
 * <p>The store is the commit fetched at connect time; a later push to the remote is not seen
 * until the program is started again (docteur reads a snapshot too).
 */
public final class GitKvRo implements KvRo {

  private static final System.Logger LOG = System.getLogger("git");

  /** A file of the tree: its blob and size. */
  private record FileEntry(ObjectId blob, long size) {}

  private final String remote;
  private final String branch;
  private volatile InMemoryRepository repository;
  private volatile KvTree<FileEntry> tree;
  private volatile Instant commitTime;
  private volatile String commitId;
  private final Map<String, String> digests = new ConcurrentHashMap<>();

  /**
   * A store of {@code branch} of {@code remote}, fetched by {@link #connect()}.
   *
   * @param remote the Git remote's URL
   * @param branch {@code refs/heads/main}, or {@code main}
   */
  public GitKvRo(String remote, String branch) {
    if (remote == null || remote.isBlank()) {
      throw new IllegalArgumentException("git_kv_ro: the remote is empty; give a Git URL such as https://host/repo.git");
    }
    if (branch == null || branch.isBlank()) {
      throw new IllegalArgumentException("git_kv_ro: the branch is empty; give one such as refs/heads/main");
    }
    this.remote = remote.strip();
    this.branch = branch.startsWith(Constants.R_REFS) ? branch.strip() : Constants.R_HEADS + branch.strip();
  }

  /** The branch read, as a full ref. */
  public String branch() {
    return branch;
  }

  /** The commit the store holds (hex), once connected. */
  public String commit() {
    return commitId;
  }

  @Override
  public void connect() throws IOException {
    URIish uri;
    try {
      uri = new URIish(remote);
    } catch (URISyntaxException e) {
      throw new IOException("git_kv_ro: '" + remote + "' is not a Git URL: " + e.getMessage(), e);
    }
    InMemoryRepository repo = MemoryGitRepository.inMemory("git_kv_ro");
    boolean done = false;
    try {
      String local = "refs/remotes/origin/" + branch.substring(Constants.R_REFS.length());
      try (Transport transport = Transport.open(repo, uri)) {
        transport.setTagOpt(TagOpt.NO_TAGS);
        transport.fetch(NullProgressMonitor.INSTANCE, List.of(new RefSpec("+" + branch + ":" + local)));
      } catch (IOException | RuntimeException e) {
        // the branch missing, or the remote unreachable, refused, not a repository, a protocol
        // JGit does not speak: which one, only a listing of the remote tells (on this path only)
        List<String> heads = branches(repo, uri);
        if (heads != null && !heads.contains(branch)) {
          throw new IOException("git_kv_ro: " + remote + " has no branch " + branch
              + (heads.isEmpty() ? " (it has no branches)" : " (branches: " + String.join(", ", heads) + ")"), e);
        }
        throw new IOException(fetchFailed(e), e);
      }
      Ref ref = repo.exactRef(local);
      if (ref == null || ref.getObjectId() == null) {
        throw new IOException(fetchFailed(new IOException("the fetch brought no " + branch)));
      }
      index(repo, ref.getObjectId());
      repository = repo;
      done = true;
      LOG.log(Level.INFO, "fetched {0} of {1}: commit {2}, {3} files", branch, remote, commitId, tree.size());
    } finally {
      if (!done) {
        repo.close();
      }
    }
  }

  /** The remote's branches, sorted; {@code null} if it cannot be listed. */
  private static List<String> branches(InMemoryRepository repo, URIish uri) {
    try (Transport transport = Transport.open(repo, uri); FetchConnection connection = transport.openFetch()) {
      List<String> heads = new ArrayList<>();
      for (Ref r : connection.getRefs()) {
        if (r.getName().startsWith(Constants.R_HEADS)) {
          heads.add(r.getName());
        }
      }
      heads.sort(null);
      return heads;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private String fetchFailed(Exception e) {
    String why = e.getMessage() == null ? e.toString() : e.getMessage();
    return "git_kv_ro: cannot fetch " + branch + " from " + remote + ": " + why;
  }

  /** Reads the tree of {@code commit}: every file (symbolic links and submodules are not). */
  private void index(InMemoryRepository repo, ObjectId commit) throws IOException {
    KvTree.Builder<FileEntry> files = KvTree.builder();
    try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
      RevCommit c = walk.parseCommit(commit);
      try (TreeWalk walker = new TreeWalk(reader)) {
        walker.addTree(c.getTree());
        walker.setRecursive(true);
        while (walker.next()) {
          FileMode mode = walker.getFileMode(0);
          if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
            ObjectId blob = walker.getObjectId(0);
            files.add(walker.getPathString(), new FileEntry(blob, reader.getObjectSize(blob, Constants.OBJ_BLOB)));
          }
        }
      }
      commitTime = Instant.ofEpochSecond(c.getCommitTime());
      commitId = c.getName();
    }
    tree = files.build();
  }

  private KvTree<FileEntry> tree() {
    KvTree<FileEntry> t = tree;
    if (t == null) {
      throw new IllegalStateException("git_kv_ro " + remote + " is not connected");
    }
    return t;
  }

  private FileEntry file(String key) throws IOException {
    return tree().file(key);
  }

  private ObjectLoader open(FileEntry e) throws IOException {
    return repository.open(e.blob(), Constants.OBJ_BLOB);
  }

  @Override
  public byte[] get(String key) throws IOException {
    FileEntry e = file(key);
    return open(e).getCachedBytes(Integer.MAX_VALUE - 8).clone();
  }

  @Override
  public ByteBuffer getPartial(String key, long offset, int length) throws IOException {
    Keys.checkPartial(offset, length);
    FileEntry e = file(key);
    int n = (int) Math.min(length, Math.max(0, e.size() - offset));
    ByteBuffer out = ByteBuffer.allocate(n);
    if (n > 0) {
      try (var in = open(e).openStream()) {
        in.skipNBytes(offset);
        out.put(in.readNBytes(n));
      }
    }
    return out.flip();
  }

  @Override
  public Optional<Kind> exists(String key) throws IOException {
    return tree().exists(key);
  }

  @Override
  public List<Entry> list(String key) throws IOException {
    return tree().list(key);
  }

  @Override
  public long size(String key) throws IOException {
    return file(key).size();
  }

  @Override
  public String digest(String key) throws IOException {
    String canonical = Keys.canonical(key);
    FileEntry e = file(key);
    String known = digests.get(canonical);
    if (known != null) {
      return known;
    }
    java.security.MessageDigest sha = Keys.sha256();
    try (var in = open(e).openStream()) {
      byte[] buf = new byte[64 * 1024];
      for (int r; (r = in.read(buf)) > 0; ) {
        sha.update(buf, 0, r);
      }
    }
    String hex = Keys.hex(sha.digest());
    digests.put(canonical, hex);
    return hex;
  }

  @Override
  public Instant lastModified(String key) throws IOException {
    file(key);
    return commitTime;
  }

  @Override
  public void close() {
    InMemoryRepository repo = repository;
    repository = null;
    if (repo != null) {
      repo.close();
    }
  }

  @Override
  public String toString() {
    return "GitKvRo(" + remote + " " + branch + ")";
  }
}
