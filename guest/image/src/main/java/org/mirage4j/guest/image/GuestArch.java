package org.mirage4j.guest.image;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What building a guest for one architecture takes from Debian: the package architecture, the
 * kernel (a meta package, resolved to the current ABI and pinned), the multiarch triplet of its C
 * libraries and the dynamic loader's path. The language names the architectures ({@code x86_64},
 * {@code aarch64}, {@code armv7} in {@code std.mirage}); this is the image builder's knowledge of
 * each.
 */
public enum GuestArch {
  /** A Xen PVH guest on x86_64: Debian's cloud kernel (Xen PV and PVH, no dom0). */
  X86_64("x86_64", "amd64", "linux-image-cloud-amd64", "x86_64-linux-gnu", "/lib64/ld-linux-x86-64.so.2"),
  /** A Xen/ARM guest on aarch64: Debian's arm64 kernel (an uncompressed Image). */
  AARCH64("aarch64", "arm64", "linux-image-arm64", "aarch64-linux-gnu", "/lib/ld-linux-aarch64.so.1"),
  /** A Xen/ARM guest on 32-bit ARM: the LPAE kernel, the only armhf kernel Xen/ARM32 runs. */
  ARMV7("armv7", "armhf", "linux-image-armmp-lpae", "arm-linux-gnueabihf", "/lib/ld-linux-armhf.so.3");

  private final String name;
  private final String debianArch;
  private final String kernelPackage;
  private final String triplet;
  private final String loader;

  GuestArch(String name, String debianArch, String kernelPackage, String triplet, String loader) {
    this.name = name;
    this.debianArch = debianArch;
    this.kernelPackage = kernelPackage;
    this.triplet = triplet;
    this.loader = loader;
  }

  /** The name the language uses ({@code x86_64}, {@code aarch64}, {@code armv7}). */
  public String archName() {
    return name;
  }

  /** Debian's name of the architecture ({@code amd64}, {@code arm64}, {@code armhf}). */
  public String debianArch() {
    return debianArch;
  }

  /** The kernel's meta package ({@code linux-image-cloud-amd64}). */
  public String kernelPackage() {
    return kernelPackage;
  }

  /** The multiarch directory of the C libraries ({@code x86_64-linux-gnu}). */
  public String triplet() {
    return triplet;
  }

  /** Where the dynamic loader must be ({@code /lib64/ld-linux-x86-64.so.2}). */
  public String loader() {
    return loader;
  }

  /**
   * The kernel modules a guest loads, when its kernel has them as modules: the Xen paravirtual NIC
   * and disk, and the virtio ones QEMU gives, with what they need.
   */
  public List<String> modules() {
    return List.of("xen-netfront", "xen-blkfront", "virtio_pci", "virtio_mmio", "virtio_net", "virtio_blk");
  }

  /** The architecture of the language's name. */
  public static Optional<GuestArch> of(String archName) {
    return Arrays.stream(values()).filter(a -> a.name.equals(archName)).findFirst();
  }

  /** The architecture this JVM runs on, if it is one a guest can have. */
  public static Optional<GuestArch> host() {
    String a = System.getProperty("os.arch");
    return switch (a) {
      case "amd64", "x86_64" -> Optional.of(X86_64);
      case "aarch64" -> Optional.of(AARCH64);
      case "arm" -> Optional.of(ARMV7);
      default -> Optional.empty();
    };
  }
}
