package org.mirage4j.tooling;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The libraries of a build, for {@code app_info}: each jar of the class path as {@code
 * groupId:artifactId<TAB>version}, read from the {@code META-INF/maven/.../pom.properties} that
 * Maven puts in every jar it builds; a jar without one is named by its file ({@code
 * jna-5.19.1.jar} is {@code jna}, version {@code 5.19.1}; without a version part, no version). Directories (the project's own classes) are not libraries. Sorted, each once, so the
 * same class path always gives the same list.
 */
public final class Libraries {

  private Libraries() {}

  /** {@code jna-5.19.1} is {@code jna} version {@code 5.19.1}: split before the first "-digit". */
  static String fromFileName(String base) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(.+?)-(\\d[^-]*(?:-.*)?)$").matcher(base);
    return m.matches() ? m.group(1) + "\t" + m.group(2) : base + "\t";
  }

  /** The libraries of {@code classpath}; {@code null} or unreadable jars give nothing for them. */
  public static List<String> of(List<Path> classpath) {
    TreeSet<String> out = new TreeSet<>();
    if (classpath == null) {
      return List.of();
    }
    for (Path p : classpath) {
      String file = p.getFileName() == null ? "" : p.getFileName().toString();
      if (!Files.isRegularFile(p) || !file.endsWith(".jar")) {
        continue;
      }
      String found = null;
      try (ZipFile zip = new ZipFile(p.toFile())) {
        List<String> candidates = new ArrayList<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
          ZipEntry e = entries.nextElement();
          String name = e.getName();
          if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
            Properties props = new Properties();
            try (InputStream in = zip.getInputStream(e)) {
              props.load(in);
            }
            String g = props.getProperty("groupId");
            String a = props.getProperty("artifactId");
            String v = props.getProperty("version", "");
            if (g != null && a != null) {
              candidates.add(g + ":" + a + "\t" + v);
              if (file.startsWith(a + "-") || file.equals(a + ".jar")) {
                found = g + ":" + a + "\t" + v;
              }
            }
          }
        }
        if (found == null && candidates.size() == 1) {
          found = candidates.get(0);
        }
      } catch (IOException e) {
        // not a readable jar: named by its file below
      }
      out.add(found != null ? found : fromFileName(file.substring(0, file.length() - 4)));
    }
    return List.copyOf(out);
  }
}
