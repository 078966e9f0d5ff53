package org.mirage4j.guest.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a guest image's Debian parts come from and how they are pinned.
 *
 * @param lockFile the project's lock file ({@code mirage-guest.lock}; commit it)
 * @param cacheDir the user's cache of parts ({@code ~/.cache/mirage4j/guest})
 * @param partDirs directories of {@code .deb} files the user gives (machines without apt)
 * @param pinning how the lock's pins are used
 */
public record PartSources(Path lockFile, Path cacheDir, List<Path> partDirs, Pinning pinning) {

  /** How the lock's pins are used. */
  public enum Pinning {
    /** Every pinned part exactly, or an error naming the part (the default). */
    EXACT,
    /**
     * A pinned version the archive no longer has (Debian replaces its packages with security
     * updates) is re-pinned to the archive's newest, and said so; everything else exactly.
     */
    REPIN_MISSING,
    /** Every part re-resolved to the archive's newest and pinned again. */
    REPIN_ALL;

    /** {@code exact}, {@code missing} or {@code all}, as {@code -Dmirage.guest.update} takes it. */
    public static Pinning of(String word) {
      return switch (word == null ? "" : word.trim()) {
        case "", "none", "exact" -> EXACT;
        case "missing" -> REPIN_MISSING;
        case "all" -> REPIN_ALL;
        default -> throw new IllegalArgumentException(
            "the pin update is none, missing or all, not '" + word + "'");
      };
    }
  }

  /** Requires every component; copies the list. */
  public PartSources {
    Objects.requireNonNull(lockFile, "lockFile");
    Objects.requireNonNull(cacheDir, "cacheDir");
    partDirs = List.copyOf(partDirs);
    Objects.requireNonNull(pinning, "pinning");
  }

  /** The project's lock file, the user's default cache, no part directories, exact pins. */
  public static PartSources of(Path lockFile) {
    return new PartSources(lockFile, defaultCacheDir(), List.of(), Pinning.EXACT);
  }

  /** The user's default cache: {@code $XDG_CACHE_HOME/mirage4j/guest} or {@code ~/.cache/mirage4j/guest}. */
  public static Path defaultCacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("mirage4j").resolve("guest");
  }
}
