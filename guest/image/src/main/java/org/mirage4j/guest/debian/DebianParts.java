package org.mirage4j.guest.debian;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.mirage4j.guest.image.GuestImageException;
import org.mirage4j.guest.image.PartSources;

/**
 * Where the Debian packages of a guest come from, pinned by the project's {@link PartsLock}: the
 * user's cache ({@code ~/.cache/mirage4j/guest}, files named by their SHA-256), directories the user
 * gives ({@code .deb} files named as Debian names them, for machines without apt), and the archive
 * through {@link AptArchive}. A package that is not locked yet is resolved to the archive's newest
 * version and pinned; a locked one is used exactly, and a file whose SHA-256 differs is refused.
 * Extracted packages are cached too, so a second build reads no archive.
 */
public final class DebianParts {

  /**
   * A package of one architecture.
   *
   * @param name the package ({@code busybox-static})
   * @param arch Debian's architecture ({@code arm64})
   */
  public record Part(String name, String arch) {}

  private final Path cache;
  private final PartsLock lock;
  private final List<Path> partDirs;
  private final Optional<AptArchive> apt;
  private final PartSources.Pinning pinning;
  private final Consumer<String> log;
  private final java.util.Set<String> resolvedThisRun = new java.util.HashSet<>();

  /**
   * @param cache the cache directory (created when missing)
   * @param lock the project's lock
   * @param partDirs directories holding {@code .deb} files given by the user, searched first
   * @param apt the archive, if this machine has apt
   * @param pinning how the lock's pins are used
   * @param log where progress lines go
   */
  public DebianParts(Path cache, PartsLock lock, List<Path> partDirs, Optional<AptArchive> apt,
      PartSources.Pinning pinning, Consumer<String> log) {
    this.cache = cache;
    this.lock = lock;
    this.partDirs = List.copyOf(partDirs);
    this.apt = apt;
    this.pinning = pinning;
    this.log = log;
  }

  /** The lock in use. */
  public PartsLock lock() {
    return lock;
  }

  /**
   * The package a meta package (such as {@code linux-image-cloud-amd64}) stands for: its first
   * dependency, pinned in the lock as an alias.
   */
  public String resolveMeta(String meta, String arch) throws GuestImageException {
    Optional<String> pinned = lock.alias(meta, arch);
    if (pinned.isPresent()) {
      return pinned.get();
    }
    AptArchive archive = apt.orElseThrow(() -> new GuestImageException(
        "cannot tell which package " + meta + " (" + arch + ") stands for: " + AptArchive.unavailableReason()
            + " and the lock file has no 'alias " + meta + " " + arch + " PACKAGE' line; add one"
            + " (for example 'alias linux-image-cloud-amd64 amd64 linux-image-6.1.0-57-cloud-amd64')"));
    try {
      AptArchive.Candidate c = archive.candidate(meta, arch).orElseThrow(() -> new GuestImageException(
          "Debian " + AptArchive.DEFAULT_SUITE + " has no package " + meta + " for " + arch));
      if (c.depends().isEmpty()) {
        throw new GuestImageException("meta package " + meta + " (" + arch + ") depends on nothing");
      }
      lock.putAlias(meta, arch, c.depends().get(0));
      return c.depends().get(0);
    } catch (IOException e) {
      throw new GuestImageException("cannot resolve " + meta + " (" + arch + "): " + e.getMessage(), e);
    }
  }

  /** The verified {@code .deb} of a package, fetched and pinned when needed. */
  public Path deb(String name, String arch) throws GuestImageException {
    Optional<PartsLock.Entry> pinned = lock.entry(name, arch);
    PartsLock.Entry entry;
    if (pinned.isPresent() && !(pinning == PartSources.Pinning.REPIN_ALL && resolvedThisRun.add(name + " " + arch))) {
      entry = pinned.get();
    } else {
      entry = resolveNewest(name, arch);
      if (pinned.isPresent() && !pinned.get().version().equals(entry.version())) {
        log.accept("re-pinned " + name + " (" + arch + ") from " + pinned.get().version() + " to " + entry.version());
      }
    }
    Path cached = cache.resolve("debs").resolve(entry.sha256() + ".deb");
    if (Files.isRegularFile(cached) && sha256(cached).equals(entry.sha256())) {
      lock.put(entry);
      return cached;
    }
    for (Path dir : partDirs) {
      Path given = dir.resolve(entry.debFileName());
      if (Files.isRegularFile(given)) {
        String sha = sha256(given);
        if (!sha.equals(entry.sha256())) {
          throw new GuestImageException("refusing part " + given + ": its SHA-256 is " + sha + ", but "
              + lockName() + " pins " + name + " " + entry.version() + " (" + arch + ") to " + entry.sha256()
              + "; use the file Debian published, or delete the line to pin another version");
        }
        lock.put(entry);
        return store(given, cached, false);
      }
    }
    if (apt.isEmpty()) {
      throw new GuestImageException("missing guest part " + name + " " + entry.version() + " (" + arch + "): "
          + AptArchive.unavailableReason() + "; download " + entry.debFileName()
          + " (https://packages.debian.org/" + AptArchive.DEFAULT_SUITE + "/" + arch + "/" + name
          + "/download) into a directory and give it with -Dmirage.guest.parts=DIR (mirage image --parts=DIR)");
    }
    Path tmp = null;
    try {
      Files.createDirectories(cache.resolve("tmp"));
      tmp = Files.createTempDirectory(cache.resolve("tmp"), "dl");
      log.accept("downloading " + name + " " + entry.version() + " (" + arch + ", " + megabytes(entry.size()) + ")");
      Path file;
      try {
        file = apt.get().download(name, arch, entry.version(), tmp);
      } catch (IOException gone) {
        if (pinning != PartSources.Pinning.REPIN_MISSING || pinned.isEmpty()) {
          throw gone;
        }
        PartsLock.Entry newest = resolveNewest(name, arch);
        if (newest.version().equals(entry.version())) {
          throw gone;
        }
        log.accept("re-pinned " + name + " (" + arch + ") from " + entry.version() + " to " + newest.version()
            + ": the archive no longer has " + entry.version());
        lock.put(newest);
        return deb(name, arch);
      }
      String sha = sha256(file);
      if (!sha.equals(entry.sha256())) {
        throw new GuestImageException("refusing " + name + " " + entry.version() + " (" + arch + ") from the archive:"
            + " its SHA-256 is " + sha + ", but " + lockName() + " pins " + entry.sha256());
      }
      lock.put(entry);
      return store(file, cached, true);
    } catch (IOException e) {
      throw new GuestImageException("cannot fetch guest part " + name + " " + entry.version() + " (" + arch + "): "
          + e.getMessage() + (pinned.isPresent()
              ? "; if the archive no longer has that version, delete its line in " + lockName() + " to pin the newest"
              : ""), e);
    } finally {
      deleteTree(tmp);
    }
  }

  /**
   * The package's files, extracted once into the cache ({@code <cache>/x/<sha256>/}).
   *
   * @return the root of the extracted tree
   */
  public Path extracted(String name, String arch) throws GuestImageException {
    return extracted(List.of(new Part(name, arch)));
  }

  /**
   * Several packages extracted into one tree (a JDK from its {@code -jre-headless} and {@code
   * -jdk-headless} halves), once, in the cache.
   *
   * @return the root of the extracted tree
   */
  public Path extracted(List<Part> packages) throws GuestImageException {
    List<Path> debs = new ArrayList<>();
    StringBuilder key = new StringBuilder();
    for (Part p : packages) {
      Path deb = deb(p.name(), p.arch());
      debs.add(deb);
      key.append(key.length() == 0 ? "" : "+").append(deb.getFileName().toString().replace(".deb", "").substring(0, 16));
    }
    Path dir = cache.resolve("x").resolve(key.toString());
    if (Files.isRegularFile(dir.resolve(".complete"))) {
      return dir;
    }
    Path tmp = null;
    try {
      Files.createDirectories(cache.resolve("tmp"));
      tmp = Files.createTempDirectory(cache.resolve("tmp"), "x");
      for (Path deb : debs) {
        log.accept("unpacking " + deb.getFileName());
        DebPackage.of(deb).extractTo(tmp);
      }
      Files.writeString(tmp.resolve(".complete"), "");
      Files.createDirectories(dir.getParent());
      deleteTree(dir);
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        tmp = null;
      } catch (FileAlreadyExistsException e) {
        // extracted by a concurrent build
      }
      return dir;
    } catch (IOException e) {
      throw new GuestImageException("cannot unpack guest parts " + debs + ": " + e.getMessage(), e);
    } finally {
      deleteTree(tmp);
    }
  }

  private PartsLock.Entry resolveNewest(String name, String arch) throws GuestImageException {
    if (apt.isEmpty()) {
      throw new GuestImageException("missing guest part " + name + " (" + arch + "): " + lockName()
          + " does not pin it and " + AptArchive.unavailableReason() + "; add a line 'package " + name + " " + arch
          + " VERSION sha256:HEX SIZE' and give the .deb with -Dmirage.guest.parts=DIR, or build on a machine with apt");
    }
    try {
      AptArchive.Candidate c = apt.get().candidate(name, arch).orElseThrow(() -> new GuestImageException(
          "Debian " + AptArchive.DEFAULT_SUITE + " has no package " + name + " for " + arch));
      return new PartsLock.Entry(c.name(), c.arch(), c.version(), c.sha256(), c.size());
    } catch (IOException e) {
      throw new GuestImageException("cannot look up guest part " + name + " (" + arch + "): " + e.getMessage(), e);
    }
  }

  private Path store(Path from, Path cached, boolean move) throws GuestImageException {
    try {
      Files.createDirectories(cached.getParent());
      Path tmp = cached.resolveSibling(cached.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
      if (move) {
        Files.move(from, tmp, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      try {
        Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING);
      }
      return cached;
    } catch (IOException e) {
      throw new GuestImageException("cannot store guest part in " + cached.getParent() + ": " + e.getMessage(), e);
    }
  }

  private String lockName() {
    return lock.file().map(Path::toString).orElse("the lock");
  }

  private static String megabytes(long bytes) {
    return String.format("%.1f MB", bytes / 1e6);
  }

  /** The SHA-256 of a file, lower-case hex. */
  public static String sha256(Path file) throws GuestImageException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new GuestImageException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes a directory tree (or file); nothing when {@code dir} is null or absent. */
  public static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(walk.toList());
      all.sort(Comparator.reverseOrder());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: a leftover temporary directory is harmless
    }
  }
}
