package org.mirage4j.guest.debian;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's archive as seen through the host's {@code apt-get}, with a private state of our own: its
 * own sources (the Debian suite the guests are built from, for every guest architecture), package
 * lists and status, under the user's cache. Nothing of the host's apt configuration is changed and
 * no root is needed; the host's mirror is reused when its sources name one.
 */
public final class AptArchive {

  /** The Debian release guests are built from: it has OpenJDK 17 for every guest architecture. */
  public static final String DEFAULT_SUITE = "bookworm";

  static final List<String> ARCHITECTURES = List.of("amd64", "arm64", "armhf");
  private static final String KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg";
  private static final Duration FRESH = Duration.ofHours(24);

  /**
   * One version of a package in the archive.
   *
   * @param name the package
   * @param arch its Debian architecture
   * @param version the version
   * @param sha256 the SHA-256 of the {@code .deb} as the archive's index says
   * @param size its size in bytes
   * @param depends the names of the packages it depends on, in order, without versions
   */
  public record Candidate(String name, String arch, String version, String sha256, long size, List<String> depends) {}

  private final Path dir;
  private final String suite;
  private final String mirror;
  private final String securityMirror;
  private boolean freshlyUpdated;

  private AptArchive(Path dir, String suite, String mirror, String securityMirror) {
    this.dir = dir;
    this.suite = suite;
    this.mirror = mirror;
    this.securityMirror = securityMirror;
  }

  /**
   * The archive through this host's apt, with its state under {@code stateDir}; empty when the host
   * has no {@code apt-get} or no Debian archive keyring.
   */
  public static Optional<AptArchive> onThisHost(Path stateDir, String suite) {
    if (!onPath("apt-get") || !onPath("apt-cache") || !Files.isReadable(Path.of(KEYRING))) {
      return Optional.empty();
    }
    String[] mirrors = hostMirrors();
    return Optional.of(new AptArchive(stateDir, suite, mirrors[0], mirrors[1]));
  }

  /** Why {@link #onThisHost} is empty here, for messages. */
  public static String unavailableReason() {
    if (!onPath("apt-get")) {
      return "this machine has no apt-get";
    }
    if (!Files.isReadable(Path.of(KEYRING))) {
      return "this machine has no Debian archive keyring (" + KEYRING + ", package debian-archive-keyring)";
    }
    return "apt is available";
  }

  /** The newest version of {@code name} for {@code arch}, updating the package lists when stale. */
  public Optional<Candidate> candidate(String name, String arch) throws IOException {
    prepare(false);
    Optional<Candidate> c = show(name, arch);
    if (c.isEmpty() && !freshlyUpdated) {
      prepare(true);
      c = show(name, arch);
    }
    return c;
  }

  /**
   * Downloads exactly {@code name=version} for {@code arch} into {@code into}; the file's hash is
   * checked by apt against the archive's signed index.
   *
   * @return the downloaded file
   * @throws IOException if that version is not (or no longer) in the archive
   */
  public Path download(String name, String arch, String version, Path into) throws IOException {
    prepare(false);
    Files.createDirectories(into);
    Result r = apt(into, "apt-get", "download", name + ":" + arch + "=" + version);
    if (r.exit != 0 && !freshlyUpdated) {
      prepare(true);
      r = apt(into, "apt-get", "download", name + ":" + arch + "=" + version);
    }
    if (r.exit != 0) {
      throw new IOException("apt-get download " + name + ":" + arch + "=" + version + " failed: " + r.lastLine());
    }
    try (Stream<Path> files = Files.list(into)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
          .orElseThrow(() -> new IOException("apt-get download " + name + " wrote no .deb"));
    }
  }

  private void prepare(boolean force) throws IOException {
    Path lists = dir.resolve("lists");
    Files.createDirectories(lists.resolve("partial"));
    Files.createDirectories(dir.resolve("archives/partial"));
    Files.createDirectories(dir.resolve("preferences.d"));
    Files.createDirectories(dir.resolve("sources.list.d"));
    Path status = dir.resolve("status");
    if (!Files.exists(status)) {
      Files.writeString(status, "");
    }
    String sources = sourcesText();
    Path sourcesFile = dir.resolve("sources.list");
    boolean changed = !Files.exists(sourcesFile) || !Files.readString(sourcesFile).equals(sources);
    if (changed) {
      Files.writeString(sourcesFile, sources);
    }
    Path stamp = dir.resolve("updated");
    boolean stale = !Files.exists(stamp)
        || Files.getLastModifiedTime(stamp).toInstant().isBefore(Instant.now().minus(FRESH));
    if (force || changed || stale) {
      Result r = apt(dir, "apt-get", "update");
      if (r.exit != 0) {
        throw new IOException("apt-get update of the guest package lists failed: " + r.lastLine());
      }
      Files.writeString(stamp, "");
      Files.setLastModifiedTime(stamp, FileTime.from(Instant.now()));
      freshlyUpdated = true;
    }
  }

  private String sourcesText() {
    String opts = "[arch=" + String.join(",", ARCHITECTURES) + " signed-by=" + KEYRING + "]";
    return "deb " + opts + " " + mirror + " " + suite + " main\n"
        + "deb " + opts + " " + mirror + " " + suite + "-updates main\n"
        + "deb " + opts + " " + securityMirror + " " + suite + "-security main\n";
  }

  private Optional<Candidate> show(String name, String arch) throws IOException {
    Result r = apt(dir, "apt-cache", "show", "--no-all-versions", name + ":" + arch);
    if (r.exit != 0 || r.out.isBlank()) {
      return Optional.empty();
    }
    Map<String, String> f = fields(r.out);
    String version = f.get("Version");
    String sha = f.get("SHA256");
    if (version == null || sha == null) {
      return Optional.empty();
    }
    List<String> deps = new ArrayList<>();
    String depends = f.getOrDefault("Pre-Depends", "");
    depends = depends.isEmpty() ? f.getOrDefault("Depends", "") : depends + ", " + f.getOrDefault("Depends", "");
    for (String d : depends.split(",")) {
      String n = d.trim().split("[\\s(:|]")[0];
      if (!n.isEmpty()) {
        deps.add(n);
      }
    }
    return Optional.of(new Candidate(name, arch, version, sha, Long.parseLong(f.getOrDefault("Size", "0")), deps));
  }

  static Map<String, String> fields(String stanza) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String line : stanza.split("\n")) {
      if (line.isBlank()) {
        break; // the first stanza only
      }
      int colon = line.indexOf(':');
      if (!line.startsWith(" ") && colon > 0) {
        f.putIfAbsent(line.substring(0, colon), line.substring(colon + 1).trim());
      }
    }
    return f;
  }

  private record Result(int exit, String out, String err) {
    String lastLine() {
      String text = (err.isBlank() ? out : err).strip();
      String[] lines = text.split("\n");
      return lines.length == 0 ? "(no output)" : lines[lines.length - 1];
    }
  }

  private Result apt(Path cwd, String tool, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(tool);
    cmd.add("-q");
    for (String o : options()) {
      cmd.add("-o");
      cmd.add(o);
    }
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().put("LC_ALL", "C");
    Path out = Files.createTempFile("mirage4j-apt", ".out");
    Path err = Files.createTempFile("mirage4j-apt", ".err");
    try {
      pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(tool + " " + String.join(" ", args) + " did not finish in 15 minutes");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + tool, e);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private List<String> options() {
    List<String> o = new ArrayList<>();
    o.add("Dir::State=" + dir);
    o.add("Dir::State::Lists=" + dir.resolve("lists"));
    o.add("Dir::State::status=" + dir.resolve("status"));
    o.add("Dir::Cache=" + dir);
    o.add("Dir::Cache::archives=" + dir.resolve("archives"));
    o.add("Dir::Cache::pkgcache=");
    o.add("Dir::Cache::srcpkgcache=");
    o.add("Dir::Etc::SourceList=" + dir.resolve("sources.list"));
    o.add("Dir::Etc::SourceParts=" + dir.resolve("sources.list.d"));
    o.add("Dir::Etc::Preferences=/dev/null");
    o.add("Dir::Etc::PreferencesParts=" + dir.resolve("preferences.d"));
    o.add("APT::Architecture=" + ARCHITECTURES.get(0));
    o.add("APT::Architectures=" + String.join(",", ARCHITECTURES));
    o.add("Debug::NoLocking=1");
    o.add("APT::Sandbox::User=" + System.getProperty("user.name"));
    o.add("Acquire::Languages=none");
    return o;
  }

  private static final Pattern URI = Pattern.compile("(?m)^\\s*(?:URIs:|deb(?:\\s+\\[[^]]*])?)\\s+(\\S+)");

  /** The host's Debian mirror and security mirror, or Debian's own. */
  static String[] hostMirrors() {
    String main = null;
    String security = null;
    List<Path> files = new ArrayList<>();
    files.add(Path.of("/etc/apt/sources.list"));
    try (Stream<Path> parts = Files.list(Path.of("/etc/apt/sources.list.d"))) {
      parts.filter(p -> p.toString().endsWith(".list") || p.toString().endsWith(".sources")).sorted().forEach(files::add);
    } catch (IOException e) {
      // no parts directory: Debian's mirrors
    }
    for (Path f : files) {
      String text;
      try {
        text = Files.readString(f);
      } catch (IOException e) {
        continue;
      }
      Matcher m = URI.matcher(text);
      while (m.find()) {
        for (String uri : m.group(1).split("\\s+")) {
          String u = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
          if (u.endsWith("/debian-security") && security == null) {
            security = u;
          } else if (u.endsWith("/debian") && main == null) {
            main = u;
          }
        }
      }
    }
    return new String[] {
      main != null ? main : "http://deb.debian.org/debian",
      security != null ? security : "http://deb.debian.org/debian-security"
    };
  }

  static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
        return true;
      }
    }
    return false;
  }
}
