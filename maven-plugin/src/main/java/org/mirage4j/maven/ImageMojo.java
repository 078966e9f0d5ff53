package org.mirage4j.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.mirage4j.guest.image.GuestImage;
import org.mirage4j.guest.image.GuestImageException;
import org.mirage4j.guest.image.PartSources;
import org.mirage4j.tooling.GuestTasks;

/**
 * Builds the bootable image of a {@code xen} or {@code arm} guest next to its {@code .xl}: {@code
 * target/mirage/<target>/<name>.vmlinuz} (Debian's kernel) and {@code <name>.initrd} (busybox, the
 * C libraries, a JRE for the guest's architecture, the unikernel's jar, the NIC and disk drivers
 * and an {@code /init} that runs it). The parts come from Debian's packages, pinned by SHA-256 in
 * {@code mirage-guest.lock} (commit it); the same inputs give the same bytes, and an unchanged
 * build writes nothing. Runs in the {@code package} phase after the jar is made; does nothing for
 * a target that is not a guest ({@code unix}).
 */
@Mojo(name = "image", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public class ImageMojo extends AbstractMirageMojo {

  /** The unikernel's runnable jar; default: {@code ${project.build.directory}/<unikernel>.jar}. */
  @Parameter(property = "mirage.jar")
  private File jar;

  /** The lock file pinning the Debian parts of the guest images. */
  @Parameter(property = "mirage.guest.lock", defaultValue = "${project.basedir}/mirage-guest.lock", required = true)
  private File lockFile;

  /** The cache of downloaded parts; default {@code ~/.cache/mirage4j/guest}. */
  @Parameter(property = "mirage.guest.cache")
  private File cacheDir;

  /**
   * Directories of {@code .deb} files to take parts from, comma-separated, for machines without
   * apt ({@code -Dmirage.guest.parts=/srv/debs}).
   */
  @Parameter(property = "mirage.guest.parts")
  private String partDirs;

  /**
   * How the lock's pins are used: {@code none} (exactly, the default), {@code missing} (re-pin
   * a part whose pinned version the archive no longer has) or {@code all} (re-pin every part to
   * the newest).
   */
  @Parameter(property = "mirage.guest.update", defaultValue = "none")
  private String update;

  /** Skips building the image. */
  @Parameter(property = "mirage.image.skip", defaultValue = "false")
  private boolean skipImage;

  @Override
  public void execute() throws MojoFailureException {
    if (skipped()) {
      return;
    }
    if (skipImage) {
      getLog().info("mirage:image: skipped");
      return;
    }
    Path build = Path.of(project.getBuild().getDirectory());
    Path artifacts = build.resolve("mirage").resolve(target);
    try {
      List<Path> stale = GuestTasks.removeOtherTargetsImages(build.resolve("mirage"), target);
      if (!stale.isEmpty()) {
        getLog().info("mirage:image: removed " + stale.size() + " image files of other targets");
      }
    } catch (IOException e) {
      throw new MojoFailureException("mirage:image: cannot remove the other targets' images: " + e.getMessage());
    }
    if (!GuestTasks.hasGuest(artifacts)) {
      getLog().info("mirage:image: target " + target + " builds no guest image");
      return;
    }
    try {
      List<GuestImage> images = GuestTasks.buildImages(artifacts, build, jar == null ? null : jar.toPath(),
          parts(), getLog()::info);
      for (GuestImage image : images) {
        getLog().info("mirage:image: " + build.relativize(image.kernel()) + " + " + build.relativize(image.initrd())
            + String.format(" (%.1f MB)", image.totalSize() / 1e6));
      }
    } catch (GuestImageException e) {
      throw new MojoFailureException("mirage:image: " + e.getMessage());
    }
  }

  private PartSources parts() throws MojoFailureException {
    List<Path> dirs = new ArrayList<>();
    if (partDirs != null) {
      for (String d : partDirs.split(",")) {
        if (!d.isBlank()) {
          dirs.add(Path.of(d.trim()));
        }
      }
    }
    try {
      return new PartSources(lockFile.toPath(), cacheDir != null ? cacheDir.toPath() : PartSources.defaultCacheDir(),
          dirs, PartSources.Pinning.of(update));
    } catch (IllegalArgumentException e) {
      throw new MojoFailureException("mirage.guest.update: " + e.getMessage());
    }
  }
}
