package org.mirage4j.tooling;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The unikernel as one runnable jar ({@code java -jar slides.jar}): the project's classes and
 * every runtime dependency merged, the wiring class as {@code Main-Class}. The first occurrence
 * of a class or resource wins, in class-path order (the project first); service files ({@code
 * META-INF/services/*}) are merged line by line; signatures, module descriptors and the
 * dependencies' manifests are left out (the result is a plain class-path jar). Entries are written
 * in name order with one fixed time, so the same inputs give the same bytes, and the guest image
 * built from the jar is reproducible too.
 */
public final class RunnableJar {

  /** The time of every entry, as DOS writes it (no time zone): the jar says nothing about when it was built. */
  static final java.time.LocalDateTime ENTRY_TIME = java.time.LocalDateTime.of(2000, 1, 1, 0, 0);

  private static final Pattern SKIPPED = Pattern.compile(
      "META-INF/MANIFEST\\.MF|META-INF/INDEX\\.LIST|META-INF/[^/]+\\.(SF|RSA|DSA|EC)|META-INF/SIG-[^/]*"
          + "|(META-INF/versions/[0-9]+/)?module-info\\.class");

  private RunnableJar() {}

  /**
   * Writes {@code out} from {@code classpath} (directories and jars, in order).
   *
   * @param mainClass the class whose {@code main} the jar runs
   * @param implementationVersion written as the manifest's {@code Implementation-Version}, if not null
   * @return the number of entries written
   */
  public static int write(Path out, List<Path> classpath, String mainClass, String implementationVersion)
      throws IOException {
    Map<String, Source> entries = new TreeMap<>();
    Map<String, Set<String>> services = new TreeMap<>();
    boolean multiRelease = false;
    for (Path element : classpath) {
      if (Files.isDirectory(element)) {
        try (Stream<Path> walk = Files.walk(element)) {
          for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
            String name = element.relativize(p).toString().replace('\\', '/');
            add(entries, services, name, new Source(p, null, null));
          }
        }
      } else if (Files.isRegularFile(element) && element.toString().endsWith(".jar")) {
        try (JarFile jar = new JarFile(element.toFile())) {
          Manifest mf = jar.getManifest();
          multiRelease |= mf != null && "true".equalsIgnoreCase(mf.getMainAttributes().getValue("Multi-Release"));
          Enumeration<JarEntry> en = jar.entries();
          while (en.hasMoreElements()) {
            JarEntry e = en.nextElement();
            if (!e.isDirectory()) {
              add(entries, services, e.getName(), new Source(null, element, e.getName()));
            }
          }
        }
      }
    }
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, mainClass);
    main.putValue("Created-By", "mirage4j");
    if (implementationVersion != null) {
      main.put(Attributes.Name.IMPLEMENTATION_VERSION, implementationVersion);
    }
    if (multiRelease) {
      main.put(new Attributes.Name("Multi-Release"), "true");
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
    Map<Path, JarFile> open = new LinkedHashMap<>();
    int count = 0;
    try (OutputStream file = Files.newOutputStream(tmp); JarOutputStream jar = new JarOutputStream(file)) {
      JarEntry mf = entry("META-INF/MANIFEST.MF");
      jar.putNextEntry(mf);
      manifest.write(jar);
      jar.closeEntry();
      Set<String> dirs = new LinkedHashSet<>();
      List<String> names = new ArrayList<>(entries.keySet());
      names.addAll(services.keySet());
      names.sort(null);
      for (String name : names) {
        for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
          String dir = name.substring(0, slash + 1);
          if (!dir.equals("META-INF/") && dirs.add(dir)) {
            jar.putNextEntry(entry(dir));
            jar.closeEntry();
          }
        }
        jar.putNextEntry(entry(name));
        Set<String> lines = services.get(name);
        if (lines != null) {
          jar.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        } else {
          Source s = entries.get(name);
          if (s.file() != null) {
            Files.copy(s.file(), jar);
          } else {
            JarFile j = open.computeIfAbsent(s.jar(), p -> {
              try {
                return new JarFile(p.toFile());
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
            try (InputStream in = j.getInputStream(j.getJarEntry(s.name()))) {
              in.transferTo(jar);
            }
          }
        }
        jar.closeEntry();
        count++;
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    } finally {
      for (JarFile j : open.values()) {
        j.close();
      }
    }
    Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return count;
  }

  private static void add(Map<String, Source> entries, Map<String, Set<String>> services, String name, Source source)
      throws IOException {
    if (SKIPPED.matcher(name).matches()) {
      return;
    }
    if (name.startsWith("META-INF/services/") && name.indexOf('/', 18) < 0) {
      Set<String> lines = services.computeIfAbsent(name, k -> new LinkedHashSet<>());
      for (String line : source.read().split("\n")) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          lines.add(l);
        }
      }
      return;
    }
    entries.putIfAbsent(name, source);
  }

  private static JarEntry entry(String name) {
    JarEntry e = new JarEntry(name);
    e.setTimeLocal(ENTRY_TIME);
    return e;
  }

  /** Where an entry comes from: a file of a directory, or an entry of a jar. */
  private record Source(Path file, Path jar, String name) {
    String read() throws IOException {
      if (file != null) {
        return Files.readString(file, StandardCharsets.UTF_8);
      }
      try (JarFile j = new JarFile(jar.toFile()); InputStream in = j.getInputStream(j.getJarEntry(name))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }
}
