package org.mirage4j.api;

import java.io.IOException;

/** A read-write key-value store (MirageOS's {@code kv_rw}), e.g. a directory on {@code unix}. */
public interface KvRw extends KvRo {

  /** Stores {@code value} at {@code key}, creating dictionaries on the way; atomic per key. */
  void set(String key, byte[] value) throws IOException;

  /** Removes the value or the (whole) dictionary at {@code key}; nothing if absent. */
  void remove(String key) throws IOException;

  /** Moves the value at {@code source} to {@code destination}, replacing it. */
  void rename(String source, String destination) throws IOException;
}
