package org.mirage4j.testing.netns;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import com.sun.jna.Library;
import com.sun.jna.Native;
import org.mirage4j.host.HostTools;

/**
 * Network namespaces for integration tests: whether the machine can give them (and why not),
 * commands, and running Java code inside one. Tests that use it create their namespaces and
 * devices themselves and delete them in {@code finally}; they skip with the reason from {@link
 * #unavailableReason()} where the machine cannot.
 */
public final class Netns {
  private static final int CLONE_NEWNET = 0x40000000;

  private Netns() {}

  /** The C library calls needed to enter a namespace. */
  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int open(String path, int flags);

    int setns(int fd, int nstype);

    int close(int fd);
  }

  /**
   * What a command did.
   *
   * @param exit its exit status (-1 when it timed out)
   * @param stdout what it printed
   * @param stderr what it printed on stderr
   */
  public record Result(int exit, byte[] stdout, String stderr) {
    /** Stdout as UTF-8 text. */
    public String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  /** Why namespaces cannot be used here, or null if they can. */
  public static String unavailableReason() {
    try {
      if (!"0".equals(run(10, "id", "-u").out().trim())) {
        return "not root (needs CAP_NET_ADMIN)";
      }
      String noIp = HostTools.unavailable("ip", "iproute2");
      if (noIp != null) {
        return noIp;
      }
      if (!Files.exists(Path.of("/dev/net/tun"))) {
        return "no /dev/net/tun";
      }
      String probe = "m4j-probe-" + ProcessHandle.current().pid();
      if (run(10, "ip", "netns", "add", probe).exit() != 0) {
        return "cannot create network namespaces (no CAP_NET_ADMIN?)";
      }
      run(10, "ip", "netns", "del", probe);
      return null;
    } catch (IOException e) {
      return "cannot run commands: " + e.getMessage();
    }
  }

  /** The Debian packages of the commands the tests run in namespaces, where the name differs. */
  private static final Map<String, String> PACKAGES = Map.of("ip", "iproute2", "udhcpc", "busybox");

  /**
   * Whether a command is there, installing its Debian package first when it is missing and this runs
   * as root with apt-get (see {@link HostTools}).
   */
  public static boolean has(String tool) {
    return HostTools.unavailable(tool, PACKAGES.getOrDefault(tool, tool)) == null;
  }

  /** Runs a command, collecting its output; a command still running after the timeout is killed. */
  public static Result run(int timeoutSeconds, String... cmd) throws IOException {
    Process p = new ProcessBuilder(List.of(cmd)).start();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream()));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, out.join(), "timed out: " + String.join(" ", cmd));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return new Result(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
  }

  /** Runs a command that must succeed. */
  public static void must(String... cmd) throws IOException {
    Result r = run(30, cmd);
    if (r.exit() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + r.stderr());
    }
  }

  private static byte[] drain(InputStream in) {
    try (in) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      in.transferTo(b);
      return b.toByteArray();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** Runs {@code body} on a fresh thread that has entered namespace {@code name}. */
  public static <T> T inside(String name, Callable<T> body) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      int fd = LibC.INSTANCE.open("/var/run/netns/" + name, 0);
      if (fd < 0 || LibC.INSTANCE.setns(fd, CLONE_NEWNET) != 0) {
        result.completeExceptionally(new IOException("cannot enter namespace " + name));
        return;
      }
      LibC.INSTANCE.close(fd);
      try {
        result.complete(body.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "in-netns-" + name);
    t.start();
    return result.get(30, TimeUnit.SECONDS);
  }
}
