package org.mirage4j.generator;

import org.mirage4j.model.Diagnostic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.UnikernelModel;

/**
 * Embeds every directory a device {@code needs embed(dir)} (std's {@code crunch} driver, {@code
 * org.mirage4j.drivers.kv.CrunchKvRo}) in the build, as the conventions say: each file under {@code
 * META-INF/mirage/crunch/<dir>/files/<path>} and an index {@code META-INF/mirage/crunch/<dir>/index.tsv}
 * with one line {@code <path>\t<size>\t<sha256 hex>} per file, sorted by path.
 *
 * <p>{@code <dir>} is relative to the project directory and normalised ({@code ./htdocs/} is {@code
 * htdocs}). The directory may not leave the project, and no file may leave the directory: an
 * absolute path, a {@code ..}, or a symbolic link whose target lies outside is an error, and the
 * link is never followed. Links that stay inside are embedded under the link's own path.
 */
final class CrunchWriter {

  private static final String ROOT = "META-INF/mirage/crunch/";

  private final UnikernelModel model;
  private final Path projectDir;
  private final Diagnostics diagnostics;

  CrunchWriter(UnikernelModel model, Path projectDir, Diagnostics diagnostics) {
    this.model = model;
    this.projectDir = projectDir;
    this.diagnostics = diagnostics;
  }

  /** The resources of every crunched directory (each directory once, however many devices use it). */
  List<OutputFile> write() {
    Map<String, DeviceNode> dirs = new LinkedHashMap<>();
    for (DeviceNode device : model.devices()) {
      for (HostResource r : device.resources()) {
        if (!(r instanceof HostResource.Embed embed)) {
          continue;
        }
        String written = embed.dir();
        String dir = normalise(written);
        if (dir == null) {
          diagnostics.error(device.location(), Diagnostic.Code.RESOURCE,
              "crunch directory '" + written + "' must be a relative path inside the project,"
                  + " without '..'");
          continue;
        }
        dirs.putIfAbsent(dir, device);
      }
    }
    List<OutputFile> out = new ArrayList<>();
    for (Map.Entry<String, DeviceNode> e : dirs.entrySet()) {
      crunch(e.getKey(), e.getValue(), out);
    }
    return out;
  }

  /** {@code ./a//b/} to {@code a/b}; {@code null} for absolute paths, {@code ..} and the empty path. */
  static String normalise(String written) {
    if (written.startsWith("/") || written.startsWith("\\") || written.matches("^[A-Za-z]:.*")) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (String p : written.split("[/\\\\]")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        return null;
      }
      parts.add(p);
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }

  private void crunch(String dir, DeviceNode device, List<OutputFile> out) {
    Path root = projectDir.resolve(dir);
    Path realRoot;
    Path realProject;
    try {
      realProject = projectDir.toRealPath();
      if (!Files.isDirectory(root)) {
        diagnostics.error(device.location(), Diagnostic.Code.RESOURCE,
            "crunch directory '" + dir + "' does not exist in " + projectDir + (dir.equals("target") || dir.startsWith("target/")
                ? "; it is under target/, so the build makes it: build first (mvn generate-sources, or package), then run this again"
                : "; create it, or name a directory that exists"));
        return;
      }
      realRoot = root.toRealPath();
    } catch (IOException e) {
      diagnostics.error(device.location(), Diagnostic.Code.RESOURCE, "crunch directory '" + dir + "': " + e.getMessage());
      return;
    }
    if (!realRoot.startsWith(realProject)) {
      diagnostics.error(device.location(), Diagnostic.Code.RESOURCE,
          "crunch directory '" + dir + "' leads outside the project (to " + realRoot
              + "); it is not embedded");
      return;
    }
    Map<String, Path> files = new TreeMap<>();
    collect(dir, root, "", realRoot, new HashSet<>(Set.of(realRoot)), files, device);
    StringBuilder index = new StringBuilder();
    for (Map.Entry<String, Path> f : files.entrySet()) {
      byte[] content;
      try {
        content = Files.readAllBytes(f.getValue());
      } catch (IOException e) {
        diagnostics.error(device.location(), Diagnostic.Code.RESOURCE,
            "crunch directory '" + dir + "': cannot read " + f.getKey() + ": " + e.getMessage());
        continue;
      }
      index.append(f.getKey()).append('\t').append(content.length).append('\t')
          .append(sha256(content)).append('\n');
      out.add(new OutputFile(
          OutputFile.Root.RESOURCES, ROOT + dir + "/files/" + f.getKey(), content, false, false));
    }
    out.add(new OutputFile(
        OutputFile.Root.RESOURCES, ROOT + dir + "/index.tsv",
        index.toString().getBytes(StandardCharsets.UTF_8), false, false));
  }

  private void collect(
      String dir,
      Path directory,
      String prefix,
      Path realRoot,
      Set<Path> visited,
      Map<String, Path> files,
      DeviceNode device) {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
      stream.forEach(entries::add);
    } catch (IOException e) {
      diagnostics.error(device.location(), Diagnostic.Code.RESOURCE,
          "crunch directory '" + dir + "': cannot list " + (prefix.isEmpty() ? "it" : prefix)
              + ": " + e.getMessage());
      return;
    }
    entries.sort(null);
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      String path = prefix + name;
      if (name.contains("\t") || name.contains("\n") || name.contains("\r") || name.contains("\\")) {
        diagnostics.error(device.location(), Diagnostic.Code.RESOURCE,
            "crunch directory '" + dir + "': file name '" + path.replace("\n", "\\n")
                + "' cannot be indexed (tab, line break or backslash)");
        continue;
      }
      Path real;
      try {
        real = entry.toRealPath();
      } catch (IOException e) {
        diagnostics.error(device.location(), Diagnostic.Code.RESOURCE,
            "crunch directory '" + dir + "': " + path + " is a broken link or unreadable");
        continue;
      }
      if (!real.startsWith(realRoot)) {
        diagnostics.error(device.location(), Diagnostic.Code.RESOURCE,
            "crunch directory '" + dir + "': " + path + " is a link to " + real
                + ", outside the directory; it is not followed");
        continue;
      }
      if (Files.isDirectory(real)) {
        if (visited.add(real)) {
          collect(dir, entry, path + "/", realRoot, visited, files, device);
          visited.remove(real);
        } else {
          diagnostics.error(device.location(), Diagnostic.Code.RESOURCE,
              "crunch directory '" + dir + "': " + path + " links back to a directory above it");
        }
      } else if (Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
        files.put(path, entry);
      }
    }
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
