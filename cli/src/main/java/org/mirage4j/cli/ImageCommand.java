package org.mirage4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mirage4j.guest.image.GuestImage;
import org.mirage4j.guest.image.GuestImageException;
import org.mirage4j.guest.image.PartSources;
import org.mirage4j.tooling.GuestTasks;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mirage image}: the guest image of a configured xen or arm unikernel. */
@Command(
    name = "image",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    header = "Builds the bootable guest image (like mvn mirage:image, which mvn package runs).",
    description = {
      "Builds DIR/mirage/TARGET/NAME.vmlinuz (Debian's kernel) and NAME.initrd (busybox, the C libraries,"
          + " a JRE for the guest's architecture, the unikernel's jar, the NIC and disk drivers and an /init)"
          + " next to the .xl that 'mirage configure -t TARGET -o DIR' wrote.",
      "The parts are Debian packages, pinned by SHA-256 in the lock file (commit it); the same inputs"
          + " give the same bytes."
    })
final class ImageCommand implements Callable<Integer> {

  @Option(names = {"-t", "--target"}, paramLabel = "TARGET", defaultValue = "xen",
      description = "The guest target that was configured (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "target",
      description = "The build directory 'mirage configure' generated into (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--jar", paramLabel = "JAR",
      description = "The unikernel's runnable jar (default: DIR/NAME.jar).")
  Path jar;

  @Option(names = "--lock", paramLabel = "FILE", defaultValue = "mirage-guest.lock",
      description = "The lock file of the Debian parts (default: ${DEFAULT-VALUE}).")
  Path lock;

  @Option(names = "--cache", paramLabel = "DIR",
      description = "The cache of parts (default: ~/.cache/mirage4j/guest).")
  Path cache;

  @Option(names = "--parts", paramLabel = "DIR", split = ",",
      description = "Directories of .deb files to take parts from (machines without apt).")
  List<Path> parts = List.of();

  @Option(names = "--update", paramLabel = "WHICH", defaultValue = "none",
      description = "Re-pin parts: none (use the lock exactly, default), missing (parts whose pinned version the"
          + " archive no longer has), all.")
  String update;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path artifacts = output.resolve("mirage").resolve(target);
    PartSources.Pinning pinning;
    try {
      pinning = PartSources.Pinning.of(update);
    } catch (IllegalArgumentException e) {
      throw new Main.UsageException("--update: " + e.getMessage());
    }
    try {
      GuestTasks.removeOtherTargetsImages(output.resolve("mirage"), target);
    } catch (java.io.IOException e) {
      err.println("mirage image: cannot remove the other targets' images: " + e.getMessage());
      err.flush();
      return Main.CONFIG_ERROR;
    }
    try {
      List<GuestImage> images = GuestTasks.buildImages(artifacts, output, jar,
          new PartSources(lock, cache != null ? cache : PartSources.defaultCacheDir(), parts, pinning),
          line -> {
            err.println("mirage: " + line);
            err.flush();
          });
      for (GuestImage image : images) {
        out.printf("%s + %s (%.1f MB)%n", image.kernel(), image.initrd(), image.totalSize() / 1e6);
      }
      out.flush();
      return Main.OK;
    } catch (GuestImageException e) {
      err.println("mirage image: " + e.getMessage());
      return Main.CONFIG_ERROR;
    }
  }
}
