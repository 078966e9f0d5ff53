package org.mirage4j.generator;

import java.util.Optional;
import java.util.regex.Pattern;
import org.mirage4j.model.ConfigureKey;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;

/**
 * What a Xen guest's configuration says besides its devices: memory and vcpus (from the
 * configure-time keys {@code memory}, in MiB, and {@code vcpus}, defaults 256 and 1), the kernel
 * image, and on {@code arm} the GIC version (configure-time key {@code gic_version}; default {@code
 * v2} on armv7, whose boards have a GIC-400, and {@code default}, the host's own, on aarch64).
 *
 * @param memoryMiB guest memory in MiB
 * @param vcpus virtual CPUs
 * @param kernel the kernel image, relative to the configuration file
 * @param gicVersion {@code v2}, {@code v3} or {@code default} on arm; empty on x86_64
 * @param arch the architecture
 */
record GuestSettings(long memoryMiB, long vcpus, String kernel, Optional<String> gicVersion, String arch) {

  static final long DEFAULT_MEMORY_MIB = 256;
  static final long DEFAULT_VCPUS = 1;

  /** Text that may appear inside a single-quoted {@code xl} string and a disk spec. */
  static final Pattern XL_SAFE = Pattern.compile("[A-Za-z0-9_./+:@%~-]+");

  /** The settings of {@code model}, reporting keys whose values do not fit. */
  static GuestSettings of(UnikernelModel model, Diagnostics diagnostics) {
    long memory = positive(model, "memory", DEFAULT_MEMORY_MIB, diagnostics);
    long vcpus = positive(model, "vcpus", DEFAULT_VCPUS, diagnostics);
    String arch = model.arch();
    String kernel;
    Optional<String> gic = Optional.empty();
    if (model.target().equals(Targets.ARM)) {
      kernel = arch.equals("armv7") ? "zImage" : "Image";
      String dflt = arch.equals("armv7") ? "v2" : "default";
      Optional<ConfigureKey> key = model.configureKey("gic_version");
      String value = key.map(k -> k.value().display()).orElse(dflt);
      if (!value.equals("v2") && !value.equals("v3") && !value.equals("default")) {
        diagnostics.error(key.get().location(),
            "configure key gic_version must be v2, v3 or default, not '" + value + "'");
        value = dflt;
      }
      gic = Optional.of(value);
    } else {
      kernel = model.name() + ".xen";
    }
    return new GuestSettings(memory, vcpus, kernel, gic, arch);
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
    diagnostics.error(key.get().location(),
        "configure key " + name + " must be a positive int" + (name.equals("memory") ? " (MiB)" : "")
            + ", not '" + v.display() + "'");
    return dflt;
  }
}
