package org.mirage4j.generator;

import org.mirage4j.model.Diagnostic;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mirage4j.model.ConfigureKey;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;

/**
 * What a Xen guest's configuration says besides its devices: memory and vcpus (the configure-time
 * keys {@code memory}, in MiB, and {@code vcpus} of {@code std.mirage}, defaults 256 and 1), the
 * kernel and initramfs the guest image builder writes ({@code <name>.vmlinuz}, {@code
 * <name>.initrd}), the kernel image's format as the target declares it, and on ARM the interrupt
 * controller (the configure-time key {@code gic_version}: {@code host}, {@code v2} or {@code v3}).
 *
 * @param memoryMiB guest memory in MiB
 * @param vcpus virtual CPUs
 * @param kernel the kernel file, relative to the configuration files
 * @param ramdisk the initramfs file, relative to the configuration files
 * @param kernelImage the kernel image's format ({@code bzImage}, {@code Image}, {@code zImage})
 * @param gicVersion on ARM: {@code host}, {@code v2} or {@code v3}; empty on x86_64
 * @param arch the architecture
 */
record GuestSettings(
    long memoryMiB, long vcpus, String kernel, String ramdisk, String kernelImage, Optional<String> gicVersion,
    String arch) {

  static final long DEFAULT_MEMORY_MIB = 256;
  static final long DEFAULT_VCPUS = 1;
  static final List<String> GIC_VERSIONS = List.of("host", "v2", "v3");

  /** Text that may appear inside a single-quoted {@code xl} string and a disk spec. */
  static final Pattern XL_SAFE = Pattern.compile("[A-Za-z0-9_./+:@%~-]+");

  /** The settings of {@code model}, reporting keys whose values do not fit. */
  static GuestSettings of(UnikernelModel model, Diagnostics diagnostics) {
    long memory = positive(model, "memory", DEFAULT_MEMORY_MIB, diagnostics);
    long vcpus = positive(model, "vcpus", DEFAULT_VCPUS, diagnostics);
    String arch = model.arch();
    Optional<String> gic = Optional.empty();
    if (!arch.equals("x86_64")) {
      Optional<ConfigureKey> key = model.configureKey("gic_version");
      String value = key.map(k -> k.value().display()).orElse("host");
      if (!GIC_VERSIONS.contains(value)) {
        diagnostics.error(key.get().location(), Diagnostic.Code.KEY,
            "configure key gic_version must be host, v2 or v3, not '" + value + "'");
        value = "host";
      }
      gic = Optional.of(value);
    }
    return new GuestSettings(memory, vcpus, model.name() + ".vmlinuz", model.name() + ".initrd",
        model.platform().kernelImage().orElse("Image"), gic, arch);
  }

  /** The GIC version as {@code xl} spells it ({@code default}, {@code v2}, {@code v3}). */
  Optional<String> xlGicVersion() {
    return gicVersion.map(g -> g.equals("host") ? "default" : g);
  }

  /** The GIC version as libvirt spells it ({@code host}, {@code 2}, {@code 3}). */
  Optional<String> libvirtGicVersion() {
    return gicVersion.map(g -> g.equals("host") ? "host" : g.substring(1));
  }

  private static long positive(
      UnikernelModel model, String name, long dflt, Diagnostics diagnostics) {
    Optional<ConfigureKey> key = model.configureKey(name);
    if (key.isEmpty()) {
      return dflt;
    }
    Value v = key.get().value();
    if (v instanceof Value.IntValue i && i.value() > 0 && i.value() <= 1L << 30) {
      return i.value();
    }
    diagnostics.error(key.get().location(), Diagnostic.Code.KEY,
        "configure key " + name + " must be a positive int" + (name.equals("memory") ? " (MiB)" : "")
            + ", not '" + v.display() + "'");
    return dflt;
  }
}
