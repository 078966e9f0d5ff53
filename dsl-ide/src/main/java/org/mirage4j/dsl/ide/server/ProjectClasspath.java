package org.mirage4j.dsl.ide.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.log4j.Logger;
import org.eclipse.emf.common.util.URI;

/**
 * The class path of a workspace folder, as the build wrote it: every {@value #FILE} below the
 * folder (the folder's own first, then those of its modules, at most {@value #MAX_DEPTH} levels
 * down). One entry per line (a jar or a classes directory); relative entries are relative to the
 * project directory that holds {@code target/}; blank lines and lines starting with {@code #} are
 * ignored. Without such a file, Java types resolve against the JDK only.
 */
public final class ProjectClasspath {

  /** Where the build writes the class path, relative to a project directory. */
  public static final String FILE = "target/mirage/classpath.txt";

  static final int MAX_DEPTH = 4;

  private static final Logger LOG = Logger.getLogger(ProjectClasspath.class);

  private final List<Path> files;
  private final List<Path> entries;

  private ProjectClasspath(List<Path> files, List<Path> entries) {
    this.files = files;
    this.entries = entries;
  }

  /** The class path of the workspace folder {@code baseDir} (a {@code file:} URI). */
  public static ProjectClasspath of(URI baseDir) {
    if (baseDir == null || !baseDir.isFile()) {
      return new ProjectClasspath(List.of(), List.of());
    }
    String path = baseDir.toFileString();
    return of(Path.of(path));
  }

  /** The class path of the workspace folder {@code dir}. */
  public static ProjectClasspath of(Path dir) {
    List<Path> files = find(dir);
    Set<Path> entries = new LinkedHashSet<>();
    for (Path f : files) {
      entries.addAll(read(f));
    }
    return new ProjectClasspath(files, new ArrayList<>(entries));
  }

  /** The class-path files found, the folder's own first. */
  public List<Path> files() {
    return files;
  }

  /** The entries, in order, without duplicates. */
  public List<Path> entries() {
    return entries;
  }

  /**
   * The class loader of a workspace folder's class path: the resource set's class-path context, so
   * that the editor's checks know whether the project's class path is known at all.
   */
  public static final class Loader extends URLClassLoader {
    private final ProjectClasspath classpath;

    Loader(URL[] urls, ProjectClasspath classpath) {
      super(urls, ClassLoader.getPlatformClassLoader());
      this.classpath = classpath;
    }

    /** The class path this loader reads. */
    public ProjectClasspath classpath() {
      return classpath;
    }
  }

  /** Whether the build wrote a class path (else Java classes resolve against the JDK only). */
  public boolean known() {
    return !files.isEmpty();
  }

  /**
   * The directories of the projects whose class-path files were found (each holds {@code target/}
   * and, in a Maven layout, {@code src/main/java}).
   */
  public List<Path> projects() {
    List<Path> result = new ArrayList<>();
    for (Path f : files) {
      result.add(f.toAbsolutePath().getParent().getParent().getParent());
    }
    return result;
  }

  /** A class loader over the entries, whose parent is the platform class loader (the JDK). */
  public Loader classLoader() {
    List<URL> urls = new ArrayList<>();
    for (Path p : entries) {
      try {
        urls.add(p.toUri().toURL());
      } catch (MalformedURLException e) {
        LOG.warn("ignoring class path entry " + p + ": " + e.getMessage());
      }
    }
    return new Loader(urls.toArray(new URL[0]), this);
  }

  static List<Path> find(Path dir) {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    Path own = dir.resolve(FILE);
    if (Files.isRegularFile(own)) {
      found.add(own);
    }
    try {
      Files.walkFileTree(
          dir,
          Set.of(),
          MAX_DEPTH,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              String name = d.getFileName() == null ? "" : d.getFileName().toString();
              if (!d.equals(dir)
                  && (name.startsWith(".") || name.equals("node_modules") || name.equals("target") || name.equals("src"))) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              Path candidate = d.resolve(FILE);
              if (!d.equals(dir) && Files.isRegularFile(candidate)) {
                found.add(candidate);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.warn("cannot search " + dir + " for " + FILE + ": " + e.getMessage());
    }
    return found;
  }

  static List<Path> read(Path file) {
    // <project>/target/mirage/classpath.txt: relative entries are relative to <project>
    Path project = file.toAbsolutePath().getParent().getParent().getParent();
    List<Path> result = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.warn("cannot read " + file + ": " + e.getMessage());
      return result;
    } catch (UncheckedIOException e) {
      return result;
    }
    for (String line : lines) {
      String entry = line.strip();
      if (entry.isEmpty() || entry.startsWith("#")) {
        continue;
      }
      Path p = Path.of(entry);
      result.add((p.isAbsolute() ? p : project.resolve(p)).normalize());
    }
    return result;
  }
}
