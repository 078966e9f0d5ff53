package org.mirage4j.drivers.git;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRo;
import org.mirage4j.drivers.kv.Keys;

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
  private volatile Map<String, FileEntry> files;
  private volatile Map<String, List<Entry>> dictionaries;
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
      List<String> heads = new ArrayList<>();
      boolean advertised = false;
      try (Transport transport = Transport.open(repo, uri)) {
        transport.setTagOpt(TagOpt.NO_TAGS);
        try (FetchConnection connection = transport.openFetch()) {
          for (Ref r : connection.getRefs()) {
            advertised |= r.getName().equals(branch);
            if (r.getName().startsWith(Constants.R_HEADS)) {
              heads.add(r.getName());
            }
          }
        }
        if (advertised) {
          transport.fetch(NullProgressMonitor.INSTANCE, List.of(new RefSpec("+" + branch + ":" + local)));
        }
      } catch (IOException | RuntimeException e) {
        // unreachable, refused, not a repository, a protocol JGit does not speak
        throw new IOException(fetchFailed(e), e);
      }
      Ref ref = advertised ? repo.exactRef(local) : null;
      if (ref == null || ref.getObjectId() == null) {
        heads.sort(null);
        throw new IOException("git_kv_ro: " + remote + " has no branch " + branch
            + (heads.isEmpty() ? " (it has no branches)" : " (branches: " + String.join(", ", heads) + ")"));
      }
      index(repo, ref.getObjectId());
      repository = repo;
      done = true;
      LOG.log(Level.INFO, "fetched {0} of {1}: commit {2}, {3} files", branch, remote, commitId, files.size());
    } finally {
      if (!done) {
        repo.close();
      }
    }
  }

  private String fetchFailed(Exception e) {
    String why = e.getMessage() == null ? e.toString() : e.getMessage();
    return "git_kv_ro: cannot fetch " + branch + " from " + remote + ": " + why;
  }

  /** Reads the tree of {@code commit}: every file, and every directory's sorted children. */
  private void index(InMemoryRepository repo, ObjectId commit) throws IOException {
    Map<String, FileEntry> f = new HashMap<>();
    Map<String, TreeMap<String, Kind>> dirs = new HashMap<>();
    dirs.put("", new TreeMap<>());
    try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
      RevCommit c = walk.parseCommit(commit);
      try (TreeWalk tree = new TreeWalk(reader)) {
        tree.addTree(c.getTree());
        tree.setRecursive(false);
        while (tree.next()) {
          String path = tree.getPathString();
          int slash = path.lastIndexOf('/');
          String parent = slash < 0 ? "" : path.substring(0, slash);
          String name = path.substring(slash + 1);
          FileMode mode = tree.getFileMode(0);
          if (tree.isSubtree()) {
            dirs.computeIfAbsent(parent, k -> new TreeMap<>()).put(name, Kind.DICTIONARY);
            dirs.computeIfAbsent(path, k -> new TreeMap<>());
            tree.enterSubtree();
          } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
            ObjectId blob = tree.getObjectId(0);
            f.put(path, new FileEntry(blob, reader.getObjectSize(blob, Constants.OBJ_BLOB)));
            dirs.computeIfAbsent(parent, k -> new TreeMap<>()).put(name, Kind.VALUE);
          }
          // symbolic links and submodules are not files of the store
        }
      }
      commitTime = Instant.ofEpochSecond(c.getCommitTime());
      commitId = c.getName();
    }
    Map<String, List<Entry>> d = new HashMap<>();
    dirs.forEach((path, children) -> {
      List<Entry> entries = new ArrayList<>();
      children.forEach((name, kind) -> entries.add(new Entry(name, kind)));
      d.put(path, List.copyOf(entries));
    });
    files = Map.copyOf(f);
    dictionaries = Map.copyOf(d);
  }

  private Map<String, FileEntry> files() {
    Map<String, FileEntry> f = files;
    if (f == null) {
      throw new IllegalStateException("git_kv_ro " + remote + " is not connected");
    }
    return f;
  }

  private FileEntry file(String key) throws IOException {
    FileEntry e = files().get(Keys.canonical(key));
    if (e == null) {
      throw new KvException.NotFound(key);
    }
    return e;
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
    String canonical = Keys.canonical(key);
    if (files().containsKey(canonical)) {
      return Optional.of(Kind.VALUE);
    }
    return dictionaries.containsKey(canonical) ? Optional.of(Kind.DICTIONARY) : Optional.empty();
  }

  @Override
  public List<Entry> list(String key) throws IOException {
    files();
    List<Entry> entries = dictionaries.get(Keys.canonical(key));
    if (entries == null) {
      throw new KvException.NotFound(key);
    }
    return entries;
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
