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

  Stamp(String digest, List<Path> inputs, List<Path> outputs) {
    this(digest, inputs, List.of(), outputs);
  }

  Stamp(String digest, List<Path> inputs, List<Path> dirs, List<Path> outputs) {
    this.digest = digest;
    this.inputs = List.copyOf(inputs);
    this.dirs = List.copyOf(dirs);
    this.outputs = List.copyOf(outputs);
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
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith("digest ")) {
          digest = line.substring(7);
        } else if (line.startsWith("input ")) {
          inputs.add(Path.of(line.substring(6)));
        } else if (line.startsWith("dir ")) {
          dirs.add(Path.of(line.substring(4)));
        } else if (line.startsWith("output ")) {
          outputs.add(Path.of(line.substring(7)));
        }
      }
      return digest == null ? null : new Stamp(digest, inputs, dirs, outputs);
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
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
