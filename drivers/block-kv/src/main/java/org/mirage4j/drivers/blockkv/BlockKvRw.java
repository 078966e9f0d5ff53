package org.mirage4j.drivers.blockkv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.mirage4j.api.Block;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRw;
import org.mirage4j.drivers.kv.Keys;

/**
 * A read-write key-value store on a block device, for every target (MirageOS's chamelon plays this
 * part there): a unix file, a Xen guest's disk, an ARM board's disk.
 *
 * <p>The on-disk format is H2's MVStore, a well-kept, crash-safe, copy-on-write B-tree store: each
 * change is written as a new chunk, and only a complete chunk becomes the store's current state.
 * Every {@link #set}, {@link #remove} and {@link #rename} is one commit, synced to the device
 * before it returns: when it returns the change survives the program being killed or the machine
 * losing power (given a device that keeps what it flushed), and a change it did not finish is
 * never seen half done. {@link BlockChannel} gives MVStore the device as a file.
 *
 * <p>Keys are paths as in every mirage4j store ({@link Keys}): dictionaries are the prefixes of
 * values, so a dictionary exists while something is in it. Values are kept whole in the store, so
 * this suits values of up to a few megabytes; the device must be large enough for the values and
 * the store's working room (a few times the live data while old chunks are reclaimed).
 */
public final class BlockKvRw implements KvRw {

  private static final String VALUES = "values";
  private static final String META = "meta";

  private final Block disk;
  private volatile MVStore store;
  private volatile MVMap<String, byte[]> values;
  /** Per value: "modifiedMillis size sha256hex". */
  private volatile MVMap<String, String> meta;
  private String fileName;

  /**
   * A store on {@code disk}.
   *
   * @param disk the block device; formatted on first use when its first sector is zero, refused
   *     when it holds something else
   */
  public BlockKvRw(Block disk) {
    this.disk = Objects.requireNonNull(disk, "disk");
  }

  @Override
  public synchronized void connect() throws IOException {
    if (store == null) {
      open();
    }
  }

  private void open() throws IOException {
    fileName = BlockFilePath.register(disk, "block device " + disk);
    try {
      MVStore s = new MVStore.Builder().fileName(fileName).autoCommitDisabled().open();
      // Each commit is synced, and atomic on the device (BlockChannel's journal), before the
      // next begins: a chunk MVStore freed is no longer part of any state a crash can bring
      // back, so its space is reused at once and the store keeps fitting its disk.
      s.setRetentionTime(0);
      values = s.openMap(VALUES);
      meta = s.openMap(META);
      store = s;
    } catch (MVStoreException | IllegalStateException | IllegalArgumentException e) {
      BlockFilePath.unregister(fileName);
      throw new IOException("block device " + disk + ": cannot open its key-value store: "
          + describe(e), e);
    }
    System.getLogger("kv").log(System.Logger.Level.DEBUG,
        () -> "BlockKvRw on " + disk + ": " + values.size() + " values");
  }

  /** An MVStore error without H2's version tag, or the I/O error beneath it. */
  private static String describe(RuntimeException e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String m = cause.getMessage() == null ? cause.toString() : cause.getMessage();
    return m.replaceAll("\\s*\\[[0-9./-]+\\]\\s*$", "");
  }

  private MVMap<String, byte[]> values() {
    MVMap<String, byte[]> v = values;
    if (v == null) {
      throw new IllegalStateException("key-value store on " + disk + " is not connected");
    }
    return v;
  }

  /**
   * Makes what changed since the last commit the store's state, on the device. When that fails
   * (the disk is full, or gone), MVStore closes itself; the store is opened again from the device,
   * which holds the last commit, so the change is undone and what was there before stays readable.
   */
  private void commit(String key) throws IOException {
    try {
      store.commit();
      store.sync();
    } catch (MVStoreException e) {
      String why = describe(e);
      store.closeImmediately();
      BlockFilePath.unregister(fileName);
      store = null;
      open();
      throw new KvException(key, "could not write to " + disk + ": " + why);
    }
  }

  private static String dictionaryPrefix(String canonical) {
    return canonical.isEmpty() ? "" : canonical + "/";
  }

  private boolean isDictionary(String canonical) {
    if (canonical.isEmpty()) {
      return true;
    }
    String prefix = canonical + "/";
    String next = values().ceilingKey(prefix);
    return next != null && next.startsWith(prefix);
  }

  private byte[] value(String key) throws IOException {
    byte[] v = values().get(Keys.canonical(key));
    if (v == null) {
      throw new KvException.NotFound(key);
    }
    return v;
  }

  private String[] metaOf(String key) throws IOException {
    String m = meta.get(Keys.canonical(key));
    if (m == null || !values().containsKey(Keys.canonical(key))) {
      throw new KvException.NotFound(key);
    }
    return m.split(" ");
  }

  @Override
  public byte[] get(String key) throws IOException {
    return value(key).clone();
  }

  @Override
  public ByteBuffer getPartial(String key, long offset, int length) throws IOException {
    Keys.checkPartial(offset, length);
    byte[] v = value(key);
    if (offset >= v.length) {
      return ByteBuffer.allocate(0);
    }
    int n = (int) Math.min(length, v.length - offset);
    return ByteBuffer.wrap(java.util.Arrays.copyOfRange(v, (int) offset, (int) offset + n));
  }

  @Override
  public Optional<Kind> exists(String key) throws IOException {
    String k = Keys.canonical(key);
    if (values().containsKey(k)) {
      return Optional.of(Kind.VALUE);
    }
    return isDictionary(k) ? Optional.of(Kind.DICTIONARY) : Optional.empty();
  }

  @Override
  public List<Entry> list(String key) throws IOException {
    String k = Keys.canonical(key);
    if (!isDictionary(k)) {
      throw new KvException.NotFound(key);
    }
    String prefix = dictionaryPrefix(k);
    List<Entry> entries = new ArrayList<>();
    String next = values().ceilingKey(prefix);
    while (next != null && next.startsWith(prefix)) {
      String rest = next.substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        entries.add(new Entry(rest, Kind.VALUE));
        next = values().higherKey(next);
      } else {
        String child = rest.substring(0, slash);
        entries.add(new Entry(child, Kind.DICTIONARY));
        // skip the rest of the child: '0' is the character after '/'
        next = values().ceilingKey(prefix + child + "0");
      }
    }
    entries.sort(Comparator.comparing(Entry::name));
    return entries;
  }

  @Override
  public long size(String key) throws IOException {
    return Long.parseLong(metaOf(key)[1]);
  }

  @Override
  public String digest(String key) throws IOException {
    return metaOf(key)[2];
  }

  @Override
  public Instant lastModified(String key) throws IOException {
    return Instant.ofEpochMilli(Long.parseLong(metaOf(key)[0]));
  }

  /** Checks that {@code key} can hold a value: not the root, not a dictionary, no value above. */
  private String writable(String key) throws IOException {
    List<String> segments = Keys.segments(key);
    if (segments.isEmpty()) {
      throw new KvException.BadKey(key, "the root is a dictionary, not a value");
    }
    String k = String.join("/", segments);
    if (isDictionary(k)) {
      throw new KvException(key, "'" + key + "' is a dictionary");
    }
    StringBuilder ancestor = new StringBuilder();
    for (int i = 0; i < segments.size() - 1; i++) {
      if (i > 0) {
        ancestor.append('/');
      }
      ancestor.append(segments.get(i));
      if (values().containsKey(ancestor.toString())) {
        throw new KvException(key, "a value is in the way of dictionary '" + ancestor + "'");
      }
    }
    return k;
  }

  private void put(String k, byte[] value) {
    String digest = Keys.hex(Keys.sha256().digest(value));
    values().put(k, value);
    meta.put(k, System.currentTimeMillis() + " " + value.length + " " + digest);
  }

  @Override
  public synchronized void set(String key, byte[] value) throws IOException {
    Objects.requireNonNull(value, "value");
    String k = writable(key);
    put(k, value.clone());
    commit(key);
  }

  @Override
  public synchronized void remove(String key) throws IOException {
    List<String> segments = Keys.segments(key);
    if (segments.isEmpty()) {
      throw new KvException.BadKey(key, "refusing to remove the store's root");
    }
    String k = String.join("/", segments);
    boolean changed = false;
    if (values().remove(k) != null) {
      meta.remove(k);
      changed = true;
    } else {
      String prefix = k + "/";
      String next = values().ceilingKey(prefix);
      while (next != null && next.startsWith(prefix)) {
        values().remove(next);
        meta.remove(next);
        changed = true;
        next = values().higherKey(next);
      }
    }
    if (changed) {
      commit(key);
    }
  }

  @Override
  public synchronized void rename(String source, String destination) throws IOException {
    String from = Keys.canonical(source);
    byte[] v = value(source);
    String to = writable(destination);
    if (from.equals(to)) {
      return;
    }
    String m = meta.get(from);
    values().put(to, v);
    meta.put(to, m);
    values().remove(from);
    meta.remove(from);
    commit(destination);
  }

  @Override
  public synchronized void close() throws IOException {
    MVStore s = store;
    if (s == null) {
      return;
    }
    store = null;
    values = null;
    meta = null;
    try {
      s.close();
    } catch (MVStoreException e) {
      throw new IOException("block device " + disk + ": closing its key-value store: "
          + describe(e), e);
    } finally {
      BlockFilePath.unregister(fileName);
    }
  }

  @Override
  public String toString() {
    return "BlockKvRw(" + disk + ")";
  }
}
