package org.mirage4j.drivers.kv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRo;

/**
 * The read side shared by the directory stores: keys resolve to paths under a root directory, and a
 * key whose real path (symbolic links followed) is not under the root's real path is refused.
 */
abstract class DirectoryStore implements KvRo {

  /** Prefix of the temporary files {@link DirectoryKvRw} writes before moving them in place. */
  static final String TEMP_PREFIX = ".kv-tmp-";

  private final String dir;
  private volatile Path root;
  private final ConcurrentHashMap<Path, CachedDigest> digests = new ConcurrentHashMap<>();

  private record CachedDigest(FileTime modified, long size, Object fileKey, String digest) {}

  DirectoryStore(String dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  /** The directory as configured. */
  final String dir() {
    return dir;
  }

  /** The real path of the root; fails if the store is not connected. */
  final Path root() {
    Path r = root;
    if (r == null) {
      throw new IllegalStateException("key-value store over '" + dir + "' is not connected");
    }
    return r;
  }

  /** Sets the root to the real path of {@code directory}, which must be a directory. */
  final void openRoot(Path directory) throws IOException {
    Path real;
    try {
      real = directory.toRealPath();
    } catch (NoSuchFileException e) {
      throw new IOException("key-value store directory does not exist: " + directory, e);
    }
    if (!Files.isDirectory(real)) {
      throw new IOException("key-value store root is not a directory: " + directory);
    }
    root = real;
    System.getLogger("kv").log(System.Logger.Level.DEBUG, () -> getClass().getSimpleName() + " on " + real);
  }

  /** The lexical path of {@code key} under the root (not yet checked against links). */
  final Path lexicalPath(String key) throws KvException.BadKey {
    Path p = root();
    for (String segment : Keys.segments(key)) {
      try {
        p = p.resolve(segment);
      } catch (InvalidPathException e) {
        throw new KvException.BadKey(key, "not a valid path segment: " + e.getReason());
      }
    }
    if (!p.normalize().startsWith(root())) {
      throw new KvException.BadKey(key, "leaves the store's root");
    }
    return p;
  }

  /**
   * The real path of {@code key} when it exists, following links; empty when nothing is there.
   *
   * @throws KvException.BadKey if the key, or a link on its way, leads outside the root
   */
  final Optional<Path> existing(String key) throws IOException {
    Path p = lexicalPath(key);
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    Path real;
    try {
      real = p.toRealPath();
    } catch (NoSuchFileException e) {
      // A dangling link: refuse it if it points outside, otherwise there is nothing there.
      checkLinkTarget(key, p);
      return Optional.empty();
    }
    if (!real.startsWith(root())) {
      throw new KvException.BadKey(key, "resolves outside the store's root");
    }
    return Optional.of(real);
  }

  private void checkLinkTarget(String key, Path link) throws IOException {
    if (Files.isSymbolicLink(link)) {
      Path target = link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
      if (!target.startsWith(root())) {
        throw new KvException.BadKey(key, "links outside the store's root");
      }
    }
  }

  /** The real path of the value at {@code key}. */
  final Path valuePath(String key) throws IOException {
    Optional<Path> p = existing(key);
    if (p.isEmpty() || !Files.isRegularFile(p.get()) || isTemp(p.get())) {
      throw new KvException.NotFound(key);
    }
    return p.get();
  }

  private static boolean isTemp(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(TEMP_PREFIX);
  }

  @Override
  public byte[] get(String key) throws IOException {
    Path p = valuePath(key);
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new KvException.NotFound(key);
    }
  }

  @Override
  public ByteBuffer getPartial(String key, long offset, int length) throws IOException {
    Keys.checkPartial(offset, length);
    Path p = valuePath(key);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      long available = Math.max(0, ch.size() - offset);
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(length, available));
      long position = offset;
      while (buffer.hasRemaining()) {
        int n = ch.read(buffer, position);
        if (n < 0) {
          break;
        }
        position += n;
      }
      buffer.flip();
      return buffer;
    } catch (NoSuchFileException e) {
      throw new KvException.NotFound(key);
    }
  }

  @Override
  public Optional<Kind> exists(String key) throws IOException {
    Optional<Path> p = existing(key);
    if (p.isEmpty()) {
      return Optional.empty();
    }
    if (Files.isDirectory(p.get())) {
      return Optional.of(Kind.DICTIONARY);
    }
    if (Files.isRegularFile(p.get()) && !isTemp(p.get())) {
      return Optional.of(Kind.VALUE);
    }
    return Optional.empty();
  }

  @Override
  public List<Entry> list(String key) throws IOException {
    Optional<Path> p = existing(key);
    if (p.isEmpty() || !Files.isDirectory(p.get())) {
      throw new KvException.NotFound(key);
    }
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(p.get())) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        if (name.startsWith(TEMP_PREFIX)) {
          continue;
        }
        Path real;
        try {
          real = child.toRealPath();
        } catch (IOException e) {
          continue; // dangling link or vanished meanwhile
        }
        if (!real.startsWith(root())) {
          continue; // never reveal what a link outside the root points to
        }
        if (Files.isDirectory(real)) {
          entries.add(new Entry(name, Kind.DICTIONARY));
        } else if (Files.isRegularFile(real)) {
          entries.add(new Entry(name, Kind.VALUE));
        }
      }
    }
    entries.sort(Comparator.comparing(Entry::name));
    return entries;
  }

  @Override
  public long size(String key) throws IOException {
    return Files.size(valuePath(key));
  }

  @Override
  public String digest(String key) throws IOException {
    Path p = valuePath(key);
    BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
    CachedDigest cached = digests.get(p);
    if (cached != null
        && cached.modified().equals(attrs.lastModifiedTime())
        && cached.size() == attrs.size()
        && Objects.equals(cached.fileKey(), attrs.fileKey())) {
      return cached.digest();
    }
    MessageDigest sha = Keys.sha256();
    try (InputStream in = Files.newInputStream(p)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) > 0) {
        sha.update(buffer, 0, n);
      }
    }
    String digest = Keys.hex(sha.digest());
    digests.put(p, new CachedDigest(attrs.lastModifiedTime(), attrs.size(), attrs.fileKey(), digest));
    return digest;
  }

  @Override
  public Instant lastModified(String key) throws IOException {
    return Files.getLastModifiedTime(valuePath(key)).toInstant();
  }

  @Override
  public void close() {
    digests.clear();
  }
}
