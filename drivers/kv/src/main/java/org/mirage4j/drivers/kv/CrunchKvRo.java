package org.mirage4j.drivers.kv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRo;

/**
 * The {@code crunch} driver: a read-only store over files the generator embedded in the build.
 *
 * <p>For the configured directory {@code dir}, the generator writes {@code
 * META-INF/mirage/crunch/<dir>/index.tsv} (one line per file, sorted by path: {@code
 * <path>\t<size>\t<sha256 hex>}) and the files under {@code META-INF/mirage/crunch/<dir>/files/}.
 * {@link #connect()} reads and checks the index through this class's class loader (or, when that
 * does not have it, the connecting thread's context class loader); afterwards only
 * the keys the index lists exist, so no key can reach another resource. Dictionaries are the
 * directories implied by the indexed paths. Digests come from the index; the last-modified time is
 * the index resource's time (the build's), or the epoch when the class loader does not know it.
 * Embedded values never change, so values up to 4 MiB are kept in memory after their first read (at
 * most 64 MiB per store).
 */
public final class CrunchKvRo implements KvRo {

  /** Where crunched directories live on the class path. */
  public static final String RESOURCE_ROOT = "META-INF/mirage/crunch/";

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private record FileEntry(String path, long size, String sha256) {}

  /** Values up to this size are kept in memory after their first read. */
  private static final int CACHE_VALUE_LIMIT = 4 * 1024 * 1024;

  /** At most this many bytes are kept in memory per store. */
  private static final long CACHE_TOTAL_LIMIT = 64L * 1024 * 1024;

  private final String dir;
  private final ClassLoader preferred;
  private volatile ClassLoader loader;
  private final java.util.concurrent.ConcurrentHashMap<String, byte[]> cache =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong cached = new java.util.concurrent.atomic.AtomicLong();
  private volatile KvTree<FileEntry> tree;
  private volatile Instant buildTime = Instant.EPOCH;

  /**
   * A store over the crunched directory {@code dir}, as written in {@code config.mirage}.
   *
   * @param dir the directory's normalised relative path, such as {@code htdocs}
   */
  public CrunchKvRo(String dir) {
    this(dir, CrunchKvRo.class.getClassLoader());
  }

  /**
   * A store over the crunched directory {@code dir}, read through {@code loader}.
   *
   * @param dir the directory's normalised relative path
   * @param loader the class loader that holds the resources
   */
  public CrunchKvRo(String dir, ClassLoader loader) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.preferred = Objects.requireNonNull(loader, "loader");
    this.loader = loader;
  }

  private String base() throws IOException {
    String canonical;
    try {
      canonical = Keys.canonical(dir);
    } catch (KvException.BadKey e) {
      throw new IOException("invalid crunch directory '" + dir + "': " + e.getMessage(), e);
    }
    if (canonical.isEmpty()) {
      throw new IOException("invalid crunch directory '" + dir + "': empty");
    }
    return RESOURCE_ROOT + canonical + "/";
  }

  /**
   * Reads and checks the index.
   *
   * @throws IOException if the index is missing (the directory was not crunched into this build) or
   *     malformed
   */
  @Override
  public void connect() throws IOException {
    String indexName = base() + "index.tsv";
    URL index = preferred.getResource(indexName);
    loader = preferred;
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (index == null && context != null && context != preferred) {
      // The application's resources may live in a loader below the driver's (e.g. a plugin or
      // container class loader); the connecting thread's context loader sees them.
      index = context.getResource(indexName);
      loader = context;
    }
    if (index == null) {
      throw new IOException(
          "no crunched directory '" + dir + "' in this build (missing resource " + indexName + ")");
    }
    KvTree.Builder<FileEntry> parsed = KvTree.builder();
    URLConnection connection = index.openConnection();
    connection.setUseCaches(false);
    long modified = connection.getLastModified();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isEmpty()) {
          continue;
        }
        String where = indexName + ":" + number + ": ";
        String[] fields = line.split("\t", -1);
        if (fields.length != 3) {
          throw new IOException(where + "expected <path>\\t<size>\\t<sha256>, got: " + line);
        }
        String path;
        try {
          path = Keys.canonical(fields[0]);
        } catch (KvException.BadKey e) {
          throw new IOException(where + e.getMessage(), e);
        }
        if (path.isEmpty() || !path.equals(fields[0])) {
          throw new IOException(where + "path is not in normal form: '" + fields[0] + "'");
        }
        long size;
        try {
          size = Long.parseLong(fields[1]);
        } catch (NumberFormatException e) {
          throw new IOException(where + "size is not a number: '" + fields[1] + "'", e);
        }
        if (size < 0) {
          throw new IOException(where + "negative size " + size);
        }
        if (!SHA256_HEX.matcher(fields[2]).matches()) {
          throw new IOException(where + "not a lower-case hex SHA-256: '" + fields[2] + "'");
        }
        try {
          parsed.add(path, new FileEntry(path, size, fields[2]));
        } catch (IllegalArgumentException e) {
          throw new IOException(where + e.getMessage(), e);
        }
      }
    }
    buildTime = modified > 0 ? Instant.ofEpochMilli(modified) : Instant.EPOCH;
    tree = parsed.build();
  }

  private KvTree<FileEntry> tree() {
    KvTree<FileEntry> t = tree;
    if (t == null) {
      throw new IllegalStateException("crunched store '" + dir + "' is not connected");
    }
    return t;
  }

  private InputStream open(String key, String canonical) throws IOException {
    InputStream in = loader.getResourceAsStream(base() + "files/" + canonical);
    if (in == null) {
      throw new IOException(
          "crunched file '" + canonical + "' is in the index of '" + dir + "' but not in the build");
    }
    return in;
  }

  @Override
  public byte[] get(String key) throws IOException {
    FileEntry entry = tree().file(key);
    String canonical = entry.path();
    byte[] hit = cache.get(canonical);
    if (hit != null) {
      return hit.clone();
    }
    byte[] data = read(key, entry);
    if (data.length <= CACHE_VALUE_LIMIT && cached.addAndGet(data.length) <= CACHE_TOTAL_LIMIT) {
      if (cache.putIfAbsent(canonical, data.clone()) != null) {
        cached.addAndGet(-data.length);
      }
    } else if (data.length <= CACHE_VALUE_LIMIT) {
      cached.addAndGet(-data.length);
    }
    return data;
  }

  private byte[] read(String key, FileEntry entry) throws IOException {
    String canonical = entry.path();
    byte[] data;
    try (InputStream in = open(key, canonical)) {
      data = in.readAllBytes();
    }
    if (data.length != entry.size()) {
      throw new IOException(
          "crunched file '" + canonical + "' has " + data.length + " bytes, the index says "
              + entry.size());
    }
    return data;
  }

  @Override
  public ByteBuffer getPartial(String key, long offset, int length) throws IOException {
    Keys.checkPartial(offset, length);
    FileEntry entry = tree().file(key);
    String canonical = entry.path();
    long size = entry.size();
    int n = (int) Math.min(length, Math.max(0, size - offset));
    ByteBuffer out = ByteBuffer.allocate(n);
    if (n == 0) {
      return out;
    }
    try (InputStream in = open(key, canonical)) {
      in.skipNBytes(offset);
      byte[] data = in.readNBytes(n);
      out.put(data);
    }
    out.flip();
    return out;
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
    return tree().file(key).size();
  }

  @Override
  public String digest(String key) throws IOException {
    return tree().file(key).sha256();
  }

  @Override
  public Instant lastModified(String key) throws IOException {
    tree().file(key);
    return buildTime;
  }

  @Override
  public String toString() {
    return "CrunchKvRo(" + dir + ")";
  }
}
