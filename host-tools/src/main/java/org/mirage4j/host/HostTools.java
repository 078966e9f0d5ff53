package org.mirage4j.host;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The host's commands: found on the {@code PATH} (and in {@code /usr/sbin}, {@code /sbin}, where
 * Debian puts dnsmasq and ip), or installed with {@code apt-get} from the Debian package that has
 * them when this process is root on a machine with apt.
 *
 * <p>Installs are serialised across processes (parallel test JVMs, parallel builds) by a lock file,
 * so that they do not fail on dpkg's own lock; after waiting, the command is looked up again.
 */
public final class HostTools {

  /** Where Debian's administrative commands are, also when they are not on the PATH. */
  private static final List<String> SYSTEM_DIRS = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

  /** The lock file that one install at a time holds. */
  static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"), "mirage4j-apt.lock");

  private static final Object IN_PROCESS = new Object();

  /** Whether this process already ran {@code apt-get update} (once is enough). */
  private static boolean updated;

  private HostTools() {}

  /** The command on the PATH (or in the system directories), if there is one. */
  public static Optional<Path> find(String command) {
    Set<String> dirs = new LinkedHashSet<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
        dirs.add(d.isEmpty() ? "." : d);
      }
    }
    dirs.addAll(SYSTEM_DIRS);
    for (String d : dirs) {
      Path p = Path.of(d, command);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Whether packages can be installed here: root, with apt-get. */
  public static boolean canInstall() {
    return isRoot() && find("apt-get").isPresent();
  }

  /** Whether this process runs as root. */
  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * The command, installing Debian's {@code debianPackage} first if it is missing and this process
   * can install.
   *
   * @param log told before an install starts (it can take a minute)
   * @throws MissingHostToolException naming the package, when the command is missing and cannot be
   *     installed here, or the install failed
   */
  public static Path require(String command, String debianPackage, Consumer<String> log)
      throws MissingHostToolException {
    return require(command, debianPackage, log, canInstall());
  }

  static Path require(String command, String debianPackage, Consumer<String> log, boolean mayInstall)
      throws MissingHostToolException {
    Optional<Path> found = find(command);
    if (found.isPresent()) {
      return found.get();
    }
    if (!mayInstall) {
      throw new MissingHostToolException(command + " is not installed; on Debian or Ubuntu: sudo apt-get install "
          + debianPackage);
    }
    synchronized (IN_PROCESS) {
      try (FileChannel ch = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        found = find(command); // another process may have installed it while this one waited
        if (found.isPresent()) {
          return found.get();
        }
        log.accept("installing " + debianPackage + " (for " + command + ") with apt-get");
        int status = aptInstall(debianPackage);
        if (status != 0 && !updated) {
          updated = true;
          run(List.of("apt-get", "update", "-q"));
          status = aptInstall(debianPackage);
        }
        found = find(command);
        if (found.isPresent()) {
          return found.get();
        }
        throw new MissingHostToolException(command + " is not installed and apt-get install " + debianPackage
            + " failed (exit " + status + ")");
      } catch (IOException e) {
        throw new MissingHostToolException("cannot install " + debianPackage + " for " + command + ": "
            + e.getMessage());
      }
    }
  }

  /**
   * For a test that needs a command: {@code null} when it is there (installed now if need be), else
   * why not, for the test's skip message.
   */
  public static String unavailable(String command, String debianPackage) {
    try {
      require(command, debianPackage, message -> System.out.println("[host-tools] " + message));
      return null;
    } catch (MissingHostToolException e) {
      return e.getMessage();
    }
  }

  private static int aptInstall(String debianPackage) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
    cmd.add(debianPackage);
    return run(cmd);
  }

  private static int run(List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = pb.start();
    try {
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while running " + String.join(" ", cmd));
    }
  }
}
