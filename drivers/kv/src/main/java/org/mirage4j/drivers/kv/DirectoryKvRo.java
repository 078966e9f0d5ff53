package org.mirage4j.drivers.kv;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code direct_kv_ro} driver: a {@link org.mirage4j.api.KvRo} over a directory of the host,
 * read at run time (changes on disk are visible at once).
 *
 * <p>Keys map to files under the directory; sub-directories are dictionaries. A key that leaves the
 * directory, lexically or through a symbolic link, is refused with {@link
 * org.mirage4j.api.KvException.BadKey}; a link to somewhere inside the directory is followed.
 * Digests are SHA-256, cached while a file's size and modification time stay the same.
 */
public final class DirectoryKvRo extends DirectoryStore {

  /**
   * A store over {@code dir} (relative to the working directory, or absolute).
   *
   * @param dir the directory; it must exist when the store is connected
   */
  public DirectoryKvRo(String dir) {
    super(dir);
  }

  /**
   * Resolves the directory.
   *
   * @throws IOException if it does not exist or is not a directory
   */
  @Override
  public void connect() throws IOException {
    openRoot(Path.of(dir()));
  }

  @Override
  public String toString() {
    return "DirectoryKvRo(" + dir() + ")";
  }
}
