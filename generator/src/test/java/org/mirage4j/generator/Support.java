package org.mirage4j.generator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Small helpers shared by the tests. */
final class Support {

  private Support() {}

  /** A directory of src/test/resources, as a path. */
  static Path resource(String name) {
    try {
      return Path.of(Support.class.getResource("/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /** The project directory of a golden case. */
  static Path projectDir(String caseName) {
    return caseName.equals("storage") ? resource("projects/storage") : resource("projects/empty");
  }

  /** Every regular file below {@code root}, by {@code /}-separated relative path. */
  static Map<String, byte[]> files(Path root) {
    Map<String, byte[]> files = new TreeMap<>();
    if (!Files.isDirectory(root)) {
      return files;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
        files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** How golden files show the build directory: the libvirt domain names its files by absolute path. */
  static final String BUILD_DIR = "/BUILD";

  /**
   * The outputs of a request, as golden files lay them out (java/, resources/, mirage/), with the
   * absolute build directory (in the libvirt domain) shown as {@link #BUILD_DIR}.
   */
  static Map<String, byte[]> outputs(GeneratorRequest request) {
    Map<String, byte[]> all = new TreeMap<>();
    files(request.javaOutput()).forEach((k, v) -> all.put("java/" + k, v));
    files(request.resourcesOutput()).forEach((k, v) -> all.put("resources/" + k, v));
    String build = request.buildDir().toAbsolutePath().normalize().toString();
    files(request.artifactsDir()).forEach((k, v) -> all.put("mirage/" + k,
        k.endsWith(".libvirt.xml") ? text(v).replace(build, BUILD_DIR).getBytes(StandardCharsets.UTF_8) : v));
    return all;
  }

  /** Whether a command is on the PATH. */
  /** Whether the host has the command, installing its Debian package first when it may. */
  static boolean hostHas(String tool, String debianPackage) {
    return org.mirage4j.host.HostTools.unavailable(tool, debianPackage) == null;
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The repository's root (the generator module's parent). */
  static Path repoRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("generator/pom.xml")) ? here : here.getParent();
  }

  /**
   * Xen's own parser as a command ({@code xl-check}), or {@code null} when this machine does not
   * have it: in the workspace it is {@code ../shared/tools/xl-check} from the repository root.
   */
  static Path xlCheck() {
    for (Path p : List.of(
        repoRoot().resolve("../shared/tools/xl-check").normalize(),
        Path.of("/work/shared/tools/xl-check"))) {
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** The result of running a command. */
  record Run(int status, String out, String err) {}

  static Run run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Path out = Files.createTempFile("run", ".out");
    Path err = Files.createTempFile("run", ".err");
    pb.redirectOutput(out.toFile());
    pb.redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("did not finish: " + command);
    }
    Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return r;
  }
}
