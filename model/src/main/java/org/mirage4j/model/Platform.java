package org.mirage4j.model;

import java.util.Objects;
import java.util.Optional;

/**
 * The target a unikernel is built for, as the configuration declares it.
 *
 * @param target the target's name ({@code unix}, {@code xen}, {@code arm})
 * @param kind what kind of program the target builds
 * @param arch the architecture ({@code x86_64}, {@code aarch64}, {@code armv7})
 * @param kernelImage for a guest, the format of its kernel image ({@code bzImage}, {@code Image},
 *     {@code zImage}) as the target's declaration names it
 */
public record Platform(String target, TargetKind kind, String arch, Optional<String> kernelImage) {

  /** Requires every component. */
  public Platform {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(arch, "arch");
    Objects.requireNonNull(kernelImage, "kernelImage");
  }

  /** A process target. */
  public static Platform process(String target, String arch) {
    return new Platform(target, TargetKind.PROCESS, arch, Optional.empty());
  }

  /** A Xen guest target. */
  public static Platform xenGuest(String target, String arch, String kernelImage) {
    return new Platform(target, TargetKind.XEN_GUEST, arch, Optional.of(kernelImage));
  }

  /** Whether the target builds a guest. */
  public boolean isGuest() {
    return kind == TargetKind.XEN_GUEST;
  }
}
