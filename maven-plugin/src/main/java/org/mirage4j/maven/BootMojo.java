package org.mirage4j.maven;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.mirage4j.guest.boot.RunningGuest;
import org.mirage4j.guest.image.GuestImageException;
import org.mirage4j.guest.image.PartSources;
import org.mirage4j.tooling.GuestTasks;

/**
 * Boots the built guest for a developer: {@code mvn package mirage:boot -Dmirage.target=xen}. Under
 * QEMU ({@code -Dmirage.boot=qemu}, the default; KVM only where a probe boot shows it works), or on
 * a real Xen 4.17 nested in QEMU ({@code -Dmirage.boot=xen}: a dom0 creates the guest from its
 * generated {@code .xl} with {@code xl create}; type {@code xl shutdown <name>} to stop it), with
 * the guest's console on the terminal and its ports forwarded from 127.0.0.1 (every option of type
 * {@code port}, to the same port, unless {@code -Dmirage.boot.forward=18080:8080} says otherwise).
 * The unikernel's options go in {@code -Dmirage.boot.args="--port=9090"}. The goal ends when the
 * guest powers off, and fails when the unikernel's exit status is not 0; Ctrl-C stops the guest.
 */
@Mojo(name = "boot", threadSafe = false)
public class BootMojo extends AbstractMirageMojo {

  /** Where to boot: {@code qemu}, or {@code xen} (Xen in a box). */
  @Parameter(property = "mirage.boot", defaultValue = "qemu")
  private String boot;

  /** The unikernel's options, as on its command line ({@code --port=9090}). */
  @Parameter(property = "mirage.boot.args")
  private String args;

  /** Host ports of 127.0.0.1 forwarded to the guest: {@code HOST:GUEST[,...]}. */
  @Parameter(property = "mirage.boot.forward")
  private String forward;

  /** The lock file pinning the parts (Xen in a box pins its dom0's parts there too). */
  @Parameter(property = "mirage.guest.lock", defaultValue = "${project.basedir}/mirage-guest.lock", required = true)
  private java.io.File lockFile;

  /** How the lock's pins are used: {@code none}, {@code missing} or {@code all} (see mirage:image). */
  @Parameter(property = "mirage.guest.update", defaultValue = "none")
  private String update;

  /** Seconds after which the guest is stopped; 0 for never. */
  @Parameter(property = "mirage.boot.timeout", defaultValue = "0")
  private long timeoutSeconds;

  @Override
  public void execute() throws MojoFailureException {
    if (skipped()) {
      return;
    }
    Path artifacts = Path.of(project.getBuild().getDirectory()).resolve("mirage").resolve(target);
    if (!GuestTasks.hasGuest(artifacts)) {
      throw new MojoFailureException("mirage:boot: target " + target + " is not a guest (or was not generated):"
          + " boot a xen or arm build, e.g. mvn package mirage:boot -Dmirage.target=xen");
    }
    if (!boot.equals("qemu") && !boot.equals("xen")) {
      throw new MojoFailureException("mirage:boot: -Dmirage.boot is qemu or xen, not '" + boot + "'");
    }
    RunningGuest guest;
    try {
      guest = boot.equals("xen")
          ? GuestTasks.bootXen(artifacts, GuestTasks.words(args), GuestTasks.forwards(forward),
              new PartSources(lockFile.toPath(), PartSources.defaultCacheDir(), java.util.List.of(),
                  PartSources.Pinning.of(update)), System.out::println, getLog()::info)
          : GuestTasks.bootQemu(artifacts, GuestTasks.words(args), GuestTasks.forwards(forward),
              PartSources.defaultCacheDir(), System.out::println, getLog()::info);
    } catch (GuestImageException | IllegalArgumentException e) {
      throw new MojoFailureException("mirage:boot: " + e.getMessage());
    }
    GuestTasks.forwardInput(System.in, guest);
    Thread stopper = new Thread(guest::close, "mirage-boot-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    try {
      OptionalInt status = guest.waitFor(timeoutSeconds > 0 ? Duration.ofSeconds(timeoutSeconds) : Duration.ofDays(365));
      if (guest.isAlive()) {
        guest.close();
        throw new MojoFailureException("mirage:boot: the guest was still running after " + timeoutSeconds + " s; stopped it");
      }
      if (status.isEmpty()) {
        throw new MojoFailureException("mirage:boot: the guest stopped without reporting the unikernel's exit status"
            + " (see its console above)");
      }
      if (status.getAsInt() != 0) {
        throw new MojoFailureException("mirage:boot: the unikernel exited with status " + status.getAsInt());
      }
      getLog().info("mirage:boot: the unikernel exited with status 0");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      guest.close();
      throw new MojoFailureException("mirage:boot: interrupted");
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook stops the guest
      }
    }
  }
}
