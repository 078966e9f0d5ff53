package org.mirage4j.drivers.kv;

import java.util.ArrayList;
import java.util.List;
import org.mirage4j.api.KvException;

/**
 * Parses store keys into path segments, refusing anything that could leave the root; shared by
 * every store of mirage4j (the directory stores here, the block-device store in
 * mirage4j-driver-block-kv), so a key means the same in each.
 */
public final class Keys {

  private Keys() {}

  /**
   * The segments of {@code key}; empty for the root ({@code ""} or {@code "/"}).
   *
   * @throws KvException.BadKey if the key is null or could leave the root
   */
  public static List<String> segments(String key) throws KvException.BadKey {
    if (key == null) {
      throw new KvException.BadKey("null", "a key must not be null");
    }
    int start = 0;
    int end = key.length();
    while (start < end && key.charAt(start) == '/') {
      start++;
    }
    while (end > start && key.charAt(end - 1) == '/') {
      end--;
    }
    List<String> segments = new ArrayList<>();
    if (start == end) {
      return segments;
    }
    for (int i = start; i < end; i++) {
      char c = key.charAt(i);
      if (c == '\\') {
        throw new KvException.BadKey(key, "backslash is not a separator");
      }
      if (c < 0x20 || c == 0x7f) {
        throw new KvException.BadKey(key, "control character in key");
      }
    }
    for (String segment : key.substring(start, end).split("/", -1)) {
      if (segment.isEmpty()) {
        throw new KvException.BadKey(key, "empty path segment");
      }
      if (segment.equals(".") || segment.equals("..")) {
        throw new KvException.BadKey(key, "'" + segment + "' segments are not allowed");
      }
      segments.add(segment);
    }
    return segments;
  }

  /** The canonical form of a key: its segments joined by {@code /}. */
  public static String canonical(String key) throws KvException.BadKey {
    return String.join("/", segments(key));
  }

  /** Lower-case hex of {@code bytes}. */
  public static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  /** A SHA-256 digester (always available on a JDK). */
  public static java.security.MessageDigest sha256() {
    try {
      return java.security.MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Checks the arguments of a partial read. */
  public static void checkPartial(long offset, int length) {
    if (offset < 0) {
      throw new IllegalArgumentException("negative offset: " + offset);
    }
    if (length < 0) {
      throw new IllegalArgumentException("negative length: " + length);
    }
  }
}
