package org.mirage4j.maven;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The incremental check of {@code mirage:generate}: a SHA-256 over everything the output depends
 * on (the configuration and every file it imported last time, by content; every directory the
 * build embeds ({@code crunch}), by the names and contents of all its files; target, architecture,
 * keys, package, version; the class path entries with their size and time; the plugin's version
 * and jar), stored with the list of inputs and outputs in {@code target/mirage/generate.stamp}.
 * The goal does nothing when the digest is unchanged and every output still exists.
 *
 * <p>The inputs are those the front end reported on the previous run: if an import is added, it is
 * added to a file already listed, whose content then changes the digest; a file added to, changed
 * in or removed from an embedded directory changes the directory's part of the digest.
 */
final class Stamp {

  /** Where the stamp lives, below the build directory. */
  static final String FILE = "mirage/generate.stamp";

  private final String digest;
  private final List<Path> inputs;
  private final List<Path> outputs;
  private final List<Path> dirs;
  private final ClassPath classpath;

  /**
   * The compile class path a run resolved, kept so that a later run can tell it is unchanged
   * without resolving it again: {@code dependencies} is {@link #dependencies} of the project then,
   * {@code snapshots} the entries that were SNAPSHOT artifacts.
   */
  record ClassPath(String dependencies, List<Path> entries, List<Path> snapshots) {
    ClassPath {
      entries = List.copyOf(entries);
      snapshots = List.copyOf(snapshots);
    }
  }

  Stamp(String digest, List<Path> inputs, List<Path> outputs) {
    this(digest, inputs, List.of(), outputs, null);
  }

  Stamp(String digest, List<Path> inputs, List<Path> dirs, List<Path> outputs) {
    this(digest, inputs, dirs, outputs, null);
  }

  Stamp(String digest, List<Path> inputs, List<Path> dirs, List<Path> outputs, ClassPath classpath) {
    this.digest = digest;
    this.inputs = List.copyOf(inputs);
    this.dirs = List.copyOf(dirs);
    this.outputs = List.copyOf(outputs);
    this.classpath = classpath;
  }

  /**
   * The class path of the last run, if it still holds without resolving it again: the project
   * declares the same dependencies and manages the same versions, and either the build is
   * offline or none of its entries was a SNAPSHOT (which a repository could have replaced since).
   * Whether its files changed is the digest's business: it holds each entry's size and time.
   */
  Optional<List<Path>> reusableClasspath(String dependencies, boolean offline) {
    if (classpath == null || !classpath.dependencies().equals(dependencies)) {
      return Optional.empty();
    }
    return offline || classpath.snapshots().isEmpty() ? Optional.of(classpath.entries()) : Optional.empty();
  }

  String digest() {
    return digest;
  }

  List<Path> inputs() {
    return inputs;
  }

  /** The embedded directories of the last run. */
  List<Path> dirs() {
    return dirs;
  }

  /** Reads a stamp; {@code null} if there is none or it cannot be read. */
  static Stamp read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      String digest = null;
      List<Path> inputs = new ArrayList<>();
      List<Path> outputs = new ArrayList<>();
      List<Path> dirs = new ArrayList<>();
      String dependencies = null;
      List<Path> entries = new ArrayList<>();
      List<Path> snapshots = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith("digest ")) {
          digest = line.substring(7);
        } else if (line.startsWith("input ")) {
          inputs.add(Path.of(line.substring(6)));
        } else if (line.startsWith("dir ")) {
          dirs.add(Path.of(line.substring(4)));
        } else if (line.startsWith("output ")) {
          outputs.add(Path.of(line.substring(7)));
        } else if (line.startsWith("dependencies ")) {
          dependencies = line.substring(13);
        } else if (line.startsWith("classpath snapshot ")) {
          Path p = Path.of(line.substring(19));
          entries.add(p);
          snapshots.add(p);
        } else if (line.startsWith("classpath ")) {
          entries.add(Path.of(line.substring(10)));
        }
      }
      ClassPath cp = dependencies == null ? null : new ClassPath(dependencies, entries, snapshots);
      return digest == null ? null : new Stamp(digest, inputs, dirs, outputs, cp);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Whether the outputs it lists all exist. */
  boolean outputsExist() {
    return outputs.stream().allMatch(Files::isRegularFile);
  }

  /** Writes the stamp. */
  void write(Path file) throws IOException {
    StringBuilder sb = new StringBuilder("# mirage:generate stamp: generation is skipped while this digest holds\n");
    sb.append("digest ").append(digest).append('\n');
    inputs.forEach(p -> sb.append("input ").append(p).append('\n'));
    dirs.forEach(p -> sb.append("dir ").append(p).append('\n'));
    outputs.forEach(p -> sb.append("output ").append(p).append('\n'));
    if (classpath != null) {
      sb.append("dependencies ").append(classpath.dependencies()).append('\n');
      for (Path p : classpath.entries()) {
        sb.append(classpath.snapshots().contains(p) ? "classpath snapshot " : "classpath ").append(p).append('\n');
      }
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /** Deletes the stamp, so that the next run generates. */
  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a stale stamp can only make the next run skip work it would redo identically
    }
  }

  /** The digest of a run's inputs and parameters. */
  static String digest(List<Path> inputs, Map<String, String> parameters, List<Path> classpath) {
    return digest(inputs, List.of(), parameters, classpath);
  }

  /** The digest of a run's inputs, embedded directories and parameters. */
  static String digest(
      List<Path> inputs, List<Path> dirs, Map<String, String> parameters, List<Path> classpath) {
    MessageDigest md = sha256();
    parameters.forEach((k, v) -> update(md, "param " + k + "=" + v));
    for (Path p : inputs) {
      update(md, "input " + p);
      try (InputStream in = Files.newInputStream(p)) {
        md.update(in.readAllBytes());
      } catch (IOException e) {
        update(md, "missing");
      }
    }
    for (Path dir : dirs) {
      update(md, "dir " + dir);
      List<Path> files;
      try (Stream<Path> walk = Files.walk(dir)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      } catch (IOException | UncheckedIOException e) {
        update(md, "unlistable");
        continue;
      }
      for (Path f : files) {
        update(md, "file " + dir.relativize(f).toString().replace('\\', '/'));
        try (InputStream in = Files.newInputStream(f)) {
          md.update(in.readAllBytes());
        } catch (IOException e) {
          update(md, "unreadable");
        }
      }
    }
    for (Path p : classpath) {
      update(md, "cp " + p + " " + fileState(p));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * A digest of what decides the project's resolved class path: its dependencies and its managed
   * versions, each as coordinates, scope, optional flag and exclusions (given as text lines).
   */
  static String dependencies(List<String> declared) {
    MessageDigest md = sha256();
    declared.forEach(d -> update(md, d));
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Size and time of a file, or what it is if it is not one. */
  static String fileState(Path p) {
    try {
      if (Files.isRegularFile(p)) {
        return Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
      }
      return Files.isDirectory(p) ? "dir" : "missing";
    } catch (IOException e) {
      return "unreadable";
    }
  }

  private static void update(MessageDigest md, String s) {
    md.update(s.getBytes(StandardCharsets.UTF_8));
    md.update((byte) '\n');
  }
}
