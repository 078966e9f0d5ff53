package org.mirage4j.guest.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The file tree of a guest's root file system before it is archived: paths (absolute in the
 * guest, without the leading {@code /}), each a directory, a file (from the host or from bytes) or
 * a symbolic link. Parents are added implicitly. Iteration is in path order, so the archive is the
 * same whatever order the tree was built in.
 */
public final class ImageTree {

  /** One entry of the tree. */
  public sealed interface Node permits Dir, HostFile, Bytes, Link {
    /** Permission bits ({@code 0755}). */
    int mode();
  }

  /** A directory. */
  public record Dir(int mode) implements Node {}

  /** A file copied from the host. */
  public record HostFile(Path source, int mode) implements Node {}

  /** A file with the given content. */
  public record Bytes(byte[] content, int mode) implements Node {}

  /** A symbolic link. */
  public record Link(String target) implements Node {
    @Override
    public int mode() {
      return 0777;
    }
  }

  private final TreeMap<String, Node> nodes = new TreeMap<>(ImageTree::compare);

  /** Adds a directory (and its parents). */
  public ImageTree dir(String path, int mode) {
    parents(path);
    nodes.put(clean(path), new Dir(mode));
    return this;
  }

  /** Adds a host file, executable if the host file is. */
  public ImageTree file(String path, Path source) {
    return file(path, source, Files.isExecutable(source) ? 0755 : 0644);
  }

  /** Adds a host file with the given mode. */
  public ImageTree file(String path, Path source, int mode) {
    parents(path);
    nodes.put(clean(path), new HostFile(source, mode));
    return this;
  }

  /** Adds a file with the given text. */
  public ImageTree text(String path, String content, int mode) {
    parents(path);
    nodes.put(clean(path), new Bytes(content.getBytes(StandardCharsets.UTF_8), mode));
    return this;
  }

  /** Adds a symbolic link. */
  public ImageTree link(String path, String target) {
    parents(path);
    nodes.put(clean(path), new Link(target));
    return this;
  }

  /**
   * Adds the host directory {@code source} under {@code path}, with its files, directories and
   * symbolic links.
   */
  public ImageTree tree(String path, Path source) throws IOException {
    try (Stream<Path> walk = Files.walk(source)) {
      for (Path p : walk.sorted().toList()) {
        String rel = source.relativize(p).toString();
        String at = rel.isEmpty() ? clean(path) : clean(path) + "/" + rel;
        if (Files.isSymbolicLink(p)) {
          link(at, Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          dir(at, 0755);
        } else {
          file(at, p);
        }
      }
    }
    return this;
  }

  /** Whether the tree has {@code path}. */
  public boolean has(String path) {
    return nodes.containsKey(clean(path));
  }

  /** The entries, parents before children. */
  Set<Map.Entry<String, Node>> entries() {
    return nodes.entrySet();
  }

  /** The total size of the files' contents. */
  public long contentSize() throws IOException {
    long total = 0;
    for (Node n : nodes.values()) {
      if (n instanceof HostFile f) {
        total += Files.size(f.source());
      } else if (n instanceof Bytes b) {
        total += b.content().length;
      }
    }
    return total;
  }

  private void parents(String path) {
    String p = clean(path);
    int slash = p.lastIndexOf('/');
    while (slash > 0) {
      String parent = p.substring(0, slash);
      nodes.putIfAbsent(parent, new Dir(0755));
      slash = parent.lastIndexOf('/');
    }
  }

  private static String clean(String path) {
    String p = path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (p.isEmpty() || p.contains("//") || p.equals("..") || p.startsWith("../") || p.contains("/../")) {
      throw new IllegalArgumentException("not a path inside the image: " + path);
    }
    return p;
  }

  /** Path order with {@code /} before every other character, so a directory precedes its content. */
  private static int compare(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        if (x == '/') {
          return -1;
        }
        if (y == '/') {
          return 1;
        }
        return Character.compare(x, y);
      }
    }
    return Integer.compare(a.length(), b.length());
  }
}
