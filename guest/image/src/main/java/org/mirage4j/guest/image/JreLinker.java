package org.mirage4j.guest.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Makes the guest's Java runtime with {@code jlink}: only the modules the unikernel needs (found by
 * {@code jdeps} in its jar, plus what its drivers declare in {@code
 * META-INF/mirage/guest-modules/*}, one module per line, for services {@code jdeps} cannot see),
 * from the jmods of the guest's architecture. The linker is a JDK 17 of this host's architecture
 * from Debian's packages, pinned like every other part, so the runtime is the same whichever JDK
 * runs the build. Native debug symbols cannot be stripped across architectures (the host's {@code
 * objcopy} does not read an aarch64 {@code libjvm.so}), so only Java debug attributes are.
 */
final class JreLinker {

  /** Where drivers list the JDK modules they need beyond what jdeps finds. */
  static final String MODULES_RESOURCES = "META-INF/mirage/guest-modules/";

  private final Path linkerJdk;
  private final List<String> log;

  /**
   * @param linkerJdk a JDK 17 home of this host's architecture (with {@code bin/jdeps}, {@code
   *     bin/jlink})
   */
  JreLinker(Path linkerJdk, List<String> log) {
    this.linkerJdk = linkerJdk;
    this.log = log;
  }

  /**
   * Modules that jdeps reports but a unikernel does not load, with the packages whose references
   * alone are not reason enough: JNA names AWT types in methods for AWT windows and keeps them in a
   * nested class that only those methods load, so java.desktop (a quarter of a JRE) stays out.
   */
  static final Map<String, List<String>> NOT_NEEDED_FOR = Map.of("java.desktop", List.of("com.sun.jna."));

  /** The modules the jar needs, sorted: jdeps' answer and the drivers' declarations. */
  List<String> modules(Path jar) throws GuestImageException {
    TreeSet<String> modules = new TreeSet<>();
    String out = run(List.of(tool("jdeps"), "--multi-release", "17", "--ignore-missing-deps", "-verbose:class",
        jar.toString()), "jdeps");
    Map<String, Set<String>> users = new TreeMap<>();
    for (String line : out.split("\n")) {
      String[] w = line.trim().split("\\s+");
      if (w.length == 4 && w[1].equals("->") && !w[3].endsWith(".jar") && w[3].matches("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*")) {
        users.computeIfAbsent(w[3], k -> new TreeSet<>()).add(w[0]);
      }
    }
    for (Map.Entry<String, Set<String>> e : users.entrySet()) {
      List<String> optional = NOT_NEEDED_FOR.getOrDefault(e.getKey(), List.of());
      boolean onlyOptional = !optional.isEmpty()
          && e.getValue().stream().allMatch(c -> optional.stream().anyMatch(c::startsWith));
      if (!onlyOptional) {
        modules.add(e.getKey());
      }
    }
    try (JarFile jf = new JarFile(jar.toFile())) {
      for (JarEntry e : jf.stream().toList()) {
        if (e.getName().startsWith(MODULES_RESOURCES) && !e.isDirectory()) {
          try (InputStream in = jf.getInputStream(e)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
              String m = line.strip();
              if (!m.isEmpty() && !m.startsWith("#")) {
                modules.add(m);
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new GuestImageException("cannot read the unikernel's jar " + jar + ": " + e.getMessage(), e);
    }
    modules.add("java.base");
    return List.copyOf(modules);
  }

  /**
   * Links a runtime of {@code modules} from {@code jmods} into {@code output} (which must not exist).
   */
  void link(Path jmods, List<String> modules, Path output) throws GuestImageException {
    List<String> cmd = new ArrayList<>(List.of(tool("jlink"),
        "--module-path", jmods.toString(),
        "--add-modules", String.join(",", modules),
        "--strip-java-debug-attributes",
        "--no-header-files", "--no-man-pages",
        "--compress=0",
        "--output", output.toString()));
    run(cmd, "jlink");
  }

  private String tool(String name) throws GuestImageException {
    Path p = linkerJdk.resolve("bin").resolve(name);
    if (!Files.isExecutable(p)) {
      throw new GuestImageException("the linker JDK " + linkerJdk + " has no bin/" + name);
    }
    return p.toString();
  }

  private String run(List<String> cmd, String what) throws GuestImageException {
    try {
      Path out = Files.createTempFile("mirage4j-" + what, ".out");
      try {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.environment().put("JAVA_HOME", linkerJdk.toString());
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
          p.destroyForcibly();
          throw new GuestImageException(what + " did not finish in 10 minutes");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
          throw new GuestImageException(what + " failed (exit " + p.exitValue() + "): " + text.strip());
        }
        log.add(what + ": " + String.join(" ", cmd.subList(1, cmd.size())));
        return text;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new GuestImageException("cannot run " + what + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GuestImageException("interrupted while running " + what, e);
    }
  }
}
