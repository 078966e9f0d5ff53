package org.mirage4j.guest.debian;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The lock file of a project's guest parts ({@code mirage-guest.lock}): for every Debian package a
 * guest image was built from, its version, SHA-256 and size, and for every meta package (the
 * kernel's {@code linux-image-cloud-amd64}) the package it stood for. A build with a lock file
 * uses exactly those files, so a rebuild is byte-identical; a file that does not match is refused.
 *
 * <p>The format is one line per entry, sorted, so that a change reads well in a diff:
 *
 * <pre>
 * package busybox-static amd64 1:1.35.0-4+deb12u1+b1 sha256:3f2a... 928188
 * alias linux-image-cloud-amd64 amd64 linux-image-6.1.0-57-cloud-amd64
 * </pre>
 */
public final class PartsLock {

  /** The lock file's usual name, at the project's root. */
  public static final String FILE_NAME = "mirage-guest.lock";

  /**
   * A pinned package.
   *
   * @param name the package
   * @param arch its Debian architecture
   * @param version its version
   * @param sha256 the SHA-256 of the {@code .deb}, lower-case hex
   * @param size its size in bytes
   */
  public record Entry(String name, String arch, String version, String sha256, long size) {
    /** The file name Debian gives it ({@code busybox-static_1%3a1.35.0-4_amd64.deb}). */
    public String debFileName() {
      return name + "_" + version.replace(":", "%3a") + "_" + arch + ".deb";
    }
  }

  private static final String HEADER =
      "# mirage4j guest parts: the Debian packages the guest images of this project are built from,\n"
          + "# pinned by SHA-256 so that every build uses the same bytes. Written by the guest image builder;\n"
          + "# commit it. To move to newer packages, delete the lines (or the file) and build again.\n";

  private final Path file;
  private final Map<String, Entry> entries = new TreeMap<>();
  private final Map<String, String> aliases = new TreeMap<>();
  private boolean dirty;

  private PartsLock(Path file) {
    this.file = file;
  }

  /**
   * The lock at {@code file}, read if it exists.
   *
   * @throws IOException if it cannot be read or a line is not an entry (the message names the line)
   */
  public static PartsLock load(Path file) throws IOException {
    PartsLock lock = new PartsLock(file);
    if (!Files.exists(file)) {
      return lock;
    }
    int n = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      n++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] w = t.split("\\s+");
      if (w[0].equals("package") && w.length == 6 && w[4].startsWith("sha256:")
          && w[4].substring(7).matches("[0-9a-f]{64}") && w[5].matches("[0-9]+")) {
        Entry e = new Entry(w[1], w[2], w[3], w[4].substring(7), Long.parseLong(w[5]));
        lock.entries.put(key(e.name(), e.arch()), e);
      } else if (w[0].equals("alias") && w.length == 4) {
        lock.aliases.put(key(w[1], w[2]), w[3]);
      } else {
        throw new IOException(file + ":" + n + ": not a lock entry: " + t
            + " (expected 'package NAME ARCH VERSION sha256:HEX SIZE' or 'alias NAME ARCH PACKAGE')");
      }
    }
    return lock;
  }

  /** An empty lock that is never written (for one-off builds and tests). */
  public static PartsLock inMemory() {
    return new PartsLock(null);
  }

  /** The file this lock is read from and written to, if any. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The pinned version of a package. */
  public Optional<Entry> entry(String name, String arch) {
    return Optional.ofNullable(entries.get(key(name, arch)));
  }

  /** The package a meta package was resolved to. */
  public Optional<String> alias(String name, String arch) {
    return Optional.ofNullable(aliases.get(key(name, arch)));
  }

  /** Pins a package (replacing an older pin of it). */
  public void put(Entry e) {
    Entry old = entries.put(key(e.name(), e.arch()), e);
    dirty |= !e.equals(old);
  }

  /** Records what a meta package was resolved to. */
  public void putAlias(String name, String arch, String target) {
    String old = aliases.put(key(name, arch), target);
    dirty |= !target.equals(old);
  }

  /** The text of the lock file. */
  public String text() {
    StringBuilder sb = new StringBuilder(HEADER);
    for (Entry e : entries.values()) {
      sb.append("package ").append(e.name()).append(' ').append(e.arch()).append(' ').append(e.version())
          .append(" sha256:").append(e.sha256()).append(' ').append(e.size()).append('\n');
    }
    for (Map.Entry<String, String> a : aliases.entrySet()) {
      String[] k = a.getKey().split(" ");
      sb.append("alias ").append(k[0]).append(' ').append(k[1]).append(' ').append(a.getValue()).append('\n');
    }
    return sb.toString();
  }

  /** Writes the file if anything was added since it was read; returns whether it did. */
  public boolean save() throws IOException {
    if (file == null || !dirty) {
      return false;
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    dirty = false;
    return true;
  }

  private static String key(String name, String arch) {
    return name + " " + arch;
  }
}
