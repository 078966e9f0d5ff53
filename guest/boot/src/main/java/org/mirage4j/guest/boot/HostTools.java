package org.mirage4j.guest.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mirage4j.guest.image.GuestImageException;

/**
 * The host's commands the boot tools run (QEMU, and for Xen in a box the device-tree compiler):
 * found on the PATH, or installed from Debian's packages when this process may ({@code root} with
 * {@code apt-get}); otherwise one message naming the package to install.
 */
public final class HostTools {

  private HostTools() {}

  /** The command on the PATH, if there is one. */
  public static Optional<Path> find(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String d : path.split(":")) {
      Path p = Path.of(d.isEmpty() ? "." : d, command);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * The command, installing Debian's {@code debianPackage} first if it is missing and this process
   * is root on a machine with apt.
   *
   * @throws GuestImageException naming the package when the command is missing and cannot be
   *     installed here
   */
  public static Path require(String command, String debianPackage, Consumer<String> log) throws GuestImageException {
    Optional<Path> found = find(command);
    if (found.isPresent()) {
      return found.get();
    }
    if (isRoot() && find("apt-get").isPresent()) {
      log.accept("installing " + debianPackage + " (for " + command + ") with apt-get");
      int status = run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", debianPackage));
      if (status != 0) {
        run(List.of("apt-get", "update", "-q"));
        status = run(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", debianPackage));
      }
      found = find(command);
      if (found.isPresent()) {
        return found.get();
      }
      throw new GuestImageException(command + " is not installed and apt-get install " + debianPackage
          + " failed (exit " + status + ")");
    }
    throw new GuestImageException(command + " is not installed; on Debian or Ubuntu: sudo apt-get install "
        + debianPackage);
  }

  /** Whether this process runs as root. */
  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int run(List<String> cmd) throws GuestImageException {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process p = pb.start();
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new GuestImageException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GuestImageException("interrupted while running " + cmd.get(0), e);
    }
  }
}
