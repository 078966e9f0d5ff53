package org.mirage4j.drivers.kv;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRw;

/**
 * The {@code direct_kv_rw} driver: a {@link KvRw} over a directory of the host, created when it is
 * missing.
 *
 * <p>{@link #set} writes the value to a temporary file in the target's directory, forces it to disk
 * and renames it over the target atomically, so readers see the old or the new value, never a
 * mixture. Keys are checked as in {@link DirectoryKvRo}; in addition, a write never follows a
 * symbolic link out of the directory.
 */
public final class DirectoryKvRw extends DirectoryStore implements KvRw {

  /**
   * A store over {@code dir}.
   *
   * @param dir the directory; created (with its parents) on connect when missing
   */
  public DirectoryKvRw(String dir) {
    super(dir);
  }

  /**
   * Creates the directory when missing and resolves it.
   *
   * @throws IOException if it cannot be created or is not a directory
   */
  @Override
  public void connect() throws IOException {
    Path p = Path.of(dir());
    if (!Files.exists(p)) {
      Files.createDirectories(p);
    }
    openRoot(p);
  }

  /**
   * The path to write {@code key} at: its parent directories exist (created as needed) and their
   * real path is under the root; the last segment is not followed.
   */
  private Path writablePath(String key) throws IOException {
    List<String> segments = Keys.segments(key);
    if (segments.isEmpty()) {
      throw new KvException.BadKey(key, "the root is a dictionary, not a value");
    }
    Path lexical = lexicalPath(key);
    Path parent = lexical.getParent();
    // Check the deepest existing ancestor before creating anything under it.
    Path existing = parent;
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (!existing.toRealPath().startsWith(root())) {
      throw new KvException.BadKey(key, "resolves outside the store's root");
    }
    Path realParent;
    try {
      realParent = Files.createDirectories(parent).toRealPath();
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new KvException(key, "a value is in the way of dictionary '" + e.getFile() + "'");
    }
    if (!realParent.startsWith(root())) {
      throw new KvException.BadKey(key, "resolves outside the store's root");
    }
    return realParent.resolve(lexical.getFileName());
  }

  @Override
  public void set(String key, byte[] value) throws IOException {
    Path target = writablePath(key);
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new KvException(key, "'" + key + "' is a dictionary");
    }
    Path temp = Files.createTempFile(target.getParent(), TEMP_PREFIX, ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        out.write(value);
      }
      try (java.nio.channels.FileChannel ch =
          java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      moveAtomically(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void moveAtomically(Path source, Path target) throws IOException {
    try {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public void remove(String key) throws IOException {
    List<String> segments = Keys.segments(key);
    if (segments.isEmpty()) {
      throw new KvException.BadKey(key, "refusing to remove the store's root");
    }
    Path lexical = lexicalPath(key);
    Path parent = lexical.getParent();
    if (!Files.exists(parent)) {
      return;
    }
    Path realParent = parent.toRealPath();
    if (!realParent.startsWith(root())) {
      throw new KvException.BadKey(key, "resolves outside the store's root");
    }
    Path target = realParent.resolve(lexical.getFileName());
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(target); // a value, or a link (removed, never followed)
      return;
    }
    Files.walkFileTree(
        target,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.deleteIfExists(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  @Override
  public void rename(String source, String destination) throws IOException {
    Path from = valuePath(source);
    Path to = writablePath(destination);
    if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
      throw new KvException(destination, "'" + destination + "' is a dictionary");
    }
    try {
      moveAtomically(from, to);
    } catch (NoSuchFileException e) {
      throw new KvException.NotFound(source);
    } catch (DirectoryNotEmptyException e) {
      throw new KvException(destination, "'" + destination + "' is a dictionary");
    }
  }

  @Override
  public String toString() {
    return "DirectoryKvRw(" + dir() + ")";
  }
}
