package org.mirage4j.drivers.kv;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRo.Entry;
import org.mirage4j.api.KvRo.Kind;

/**
 * The tree of a read-only store that knows all its files up front (an embedded directory, a Git
 * commit): each file by its canonical path, and the dictionaries its paths make, each with its
 * children sorted by name. What {@code exists} and {@code list} answer, and which key names a
 * value, are the same for every such store.
 *
 * @param <F> what the store keeps of a file (its size, digest, where its bytes are)
 */
public final class KvTree<F> {

  private final Map<String, F> files;
  private final Map<String, List<Entry>> dictionaries;

  private KvTree(Map<String, F> files, Map<String, List<Entry>> dictionaries) {
    this.files = files;
    this.dictionaries = dictionaries;
  }

  /** Collects the files of a tree. */
  public static <F> Builder<F> builder() {
    return new Builder<>();
  }

  /** The files of a tree, each added once, by canonical path. */
  public static final class Builder<F> {
    private final Map<String, F> files = new TreeMap<>();
    private final Map<String, TreeMap<String, Kind>> dirs = new TreeMap<>();

    private Builder() {
      dirs.put("", new TreeMap<>());
    }

    /**
     * Adds the file at {@code path} (canonical, not empty), and the dictionaries above it.
     *
     * @throws IllegalArgumentException if the path is there already, or is a file and a directory
     */
    public Builder<F> add(String path, F file) {
      if (dirs.containsKey(path) || files.containsKey(path)) {
        throw new IllegalArgumentException("duplicate path '" + path + "'");
      }
      String[] segments = path.split("/");
      String parent = "";
      for (int i = 0; i < segments.length; i++) {
        Kind kind = i == segments.length - 1 ? Kind.VALUE : Kind.DICTIONARY;
        String child = parent.isEmpty() ? segments[i] : parent + "/" + segments[i];
        if (kind == Kind.DICTIONARY && files.containsKey(child) || kind == Kind.VALUE && dirs.containsKey(child)) {
          throw new IllegalArgumentException("'" + child + "' is both a file and a directory");
        }
        dirs.computeIfAbsent(parent, k -> new TreeMap<>()).put(segments[i], kind);
        if (kind == Kind.DICTIONARY) {
          dirs.computeIfAbsent(child, k -> new TreeMap<>());
        }
        parent = child;
      }
      files.put(path, file);
      return this;
    }

    /** The tree of the files added. */
    public KvTree<F> build() {
      Map<String, List<Entry>> listing = new TreeMap<>();
      dirs.forEach((key, children) -> {
        List<Entry> entries = new ArrayList<>();
        children.forEach((name, kind) -> entries.add(new Entry(name, kind)));
        listing.put(key, Collections.unmodifiableList(entries));
      });
      return new KvTree<>(Collections.unmodifiableMap(new TreeMap<>(files)), Collections.unmodifiableMap(listing));
    }
  }

  /** How many files the tree has. */
  public int size() {
    return files.size();
  }

  /** Whether {@code canonical} is a file of the tree. */
  public boolean isFile(String canonical) {
    return files.containsKey(canonical);
  }

  /**
   * The file {@code key} names.
   *
   * @throws KvException.NotFound if it names none (a dictionary or nothing)
   */
  public F file(String key) throws KvException {
    F f = files.get(Keys.canonical(key));
    if (f == null) {
      throw new KvException.NotFound(key);
    }
    return f;
  }

  /** What {@code key} names, if anything. */
  public Optional<Kind> exists(String key) throws KvException {
    String canonical = Keys.canonical(key);
    if (files.containsKey(canonical)) {
      return Optional.of(Kind.VALUE);
    }
    return dictionaries.containsKey(canonical) ? Optional.of(Kind.DICTIONARY) : Optional.empty();
  }

  /**
   * The children of the dictionary {@code key}, sorted by name.
   *
   * @throws KvException.NotFound if {@code key} is not a dictionary
   */
  public List<Entry> list(String key) throws KvException {
    List<Entry> entries = dictionaries.get(Keys.canonical(key));
    if (entries == null) {
      throw new KvException.NotFound(key);
    }
    return entries;
  }
}
