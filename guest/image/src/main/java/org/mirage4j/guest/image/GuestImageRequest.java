package org.mirage4j.guest.image;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to build a guest image of.
 *
 * @param name the unikernel's name; the image files are {@code <name>.vmlinuz} and {@code
 *     <name>.initrd}
 * @param arch the guest's architecture
 * @param jar the unikernel's runnable jar (everything it needs inside, a {@code Main-Class})
 * @param outputDir where the image files go (the target's artifacts directory, next to the
 *     {@code .xl})
 * @param networks the guest's network interfaces the unikernel uses ({@code eth0}, ...): the init
 *     waits for them and brings them up
 * @param disks the guest's disks the unikernel uses ({@code xvdb}, ...): the init waits for them
 * @param parts where the Debian parts come from and how they are pinned
 */
public record GuestImageRequest(
    String name,
    GuestArch arch,
    Path jar,
    Path outputDir,
    List<String> networks,
    List<String> disks,
    PartSources parts) {

  /** Requires every component. */
  public GuestImageRequest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arch, "arch");
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(outputDir, "outputDir");
    networks = List.copyOf(networks);
    disks = List.copyOf(disks);
    Objects.requireNonNull(parts, "parts");
  }

  /** The request for a generated guest: its image goes next to its descriptor. */
  public static GuestImageRequest of(GuestDescriptor guest, Path jar, PartSources parts) {
    return new GuestImageRequest(guest.name(), guest.arch(), jar, guest.dir(), guest.networks(), guest.diskDevices(),
        parts);
  }

  /** The kernel file written: {@code <outputDir>/<name>.vmlinuz}. */
  public Path kernelFile() {
    return outputDir.resolve(name + ".vmlinuz");
  }

  /** The initramfs written: {@code <outputDir>/<name>.initrd}. */
  public Path initrdFile() {
    return outputDir.resolve(name + ".initrd");
  }
}
