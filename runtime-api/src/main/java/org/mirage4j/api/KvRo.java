package org.mirage4j.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * A read-only key-value store (MirageOS's {@code kv_ro}): files embedded in the build ("crunch") or
 * a directory read at run time ("direct").
 *
 * <p>Keys are {@code /}-separated paths relative to the store's root, such as {@code css/deck.css};
 * a leading {@code /} is ignored. A key that would leave the root ({@code ..}) is refused with
 * {@link KvException}.
 */
public interface KvRo extends Device {

  /** Whether a key names a value or a dictionary (directory). */
  enum Kind {
    /** A value. */
    VALUE,
    /** A dictionary holding further keys. */
    DICTIONARY
  }

  /**
   * One child of a dictionary.
   *
   * @param name the child's name (one path segment)
   * @param kind value or dictionary
   */
  record Entry(String name, Kind kind) {}

  /**
   * The whole value of {@code key}.
   *
   * @throws KvException.NotFound if there is no value at {@code key}
   */
  byte[] get(String key) throws IOException;

  /**
   * Up to {@code length} bytes of the value from {@code offset}.
   *
   * @throws KvException.NotFound if there is no value at {@code key}
   */
  ByteBuffer getPartial(String key, long offset, int length) throws IOException;

  /** What {@code key} names, if anything. */
  java.util.Optional<Kind> exists(String key) throws IOException;

  /**
   * The children of the dictionary {@code key} ({@code ""} for the root), sorted by name.
   *
   * @throws KvException.NotFound if {@code key} is not a dictionary
   */
  List<Entry> list(String key) throws IOException;

  /** The size in bytes of the value. */
  long size(String key) throws IOException;

  /** A digest of the value (lower-case hex SHA-256), stable across runs: suitable as an ETag. */
  String digest(String key) throws IOException;

  /** When the value last changed (for embedded stores: the build's time). */
  Instant lastModified(String key) throws IOException;
}
