package org.mirage4j.api;

import java.io.IOException;

/** A key-value store refused an operation. The message names the key. */
public class KvException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The key the operation was about. */
  private final String key;

  /** A failure about {@code key}. */
  public KvException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The key the operation was about. */
  public String key() {
    return key;
  }

  /** No value (or dictionary) at the key. */
  public static final class NotFound extends KvException {
    private static final long serialVersionUID = 1L;

    /** Nothing at {@code key}. */
    public NotFound(String key) {
      super(key, "no such key: " + key);
    }
  }

  /** The key would leave the store's root, or is otherwise malformed. */
  public static final class BadKey extends KvException {
    private static final long serialVersionUID = 1L;

    /** {@code key} is refused, for {@code reason}. */
    public BadKey(String key, String reason) {
      super(key, "bad key '" + key + "': " + reason);
    }
  }
}
