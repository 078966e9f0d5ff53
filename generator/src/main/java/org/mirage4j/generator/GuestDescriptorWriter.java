package org.mirage4j.generator;

import java.util.List;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.UnikernelModel;

/**
 * Writes {@code <name>.guest}: what the guest image builder and the boot tools ({@code mirage:image},
 * {@code mirage:boot}) need to know of a generated guest without reading the configuration again:
 * its architecture, image files, the guest interfaces and disks its drivers use (in the order of
 * the {@code .xl}), its memory, and its command-line options with their types and defaults (a
 * boot tool forwards the {@code port} options and gives a QEMU network's address to {@code
 * --ipv4}). One {@code key = value} per line; a list is space-separated.
 */
final class GuestDescriptorWriter {

  /** The descriptor's file name for a unikernel. */
  static String fileName(String name) {
    return name + ".guest";
  }

  private GuestDescriptorWriter() {}

  static String write(UnikernelModel model, GuestSettings settings, GuestLayout layout) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(Markers.header(model)).append('\n');
    sb.append("# The guest as the image builder and mirage:boot see it.\n");
    line(sb, "name", model.name());
    line(sb, "target", model.target());
    line(sb, "arch", model.arch());
    line(sb, "kernel-image", settings.kernelImage());
    line(sb, "kernel", settings.kernel());
    line(sb, "ramdisk", settings.ramdisk());
    line(sb, "memory", Long.toString(settings.memoryMiB()));
    line(sb, "vcpus", Long.toString(settings.vcpus()));
    settings.xlGicVersion().ifPresent(g -> line(sb, "gic-version", g));
    line(sb, "command-line", XenConfigWriter.commandLine());
    line(sb, "networks", String.join(" ", layout.vifs.stream().map(GuestLayout.Vif::guestInterface).toList()));
    line(sb, "disks", String.join(" ", layout.disks.stream().map(d -> d.file() + ":" + d.vdev()).toList()));
    List<RuntimeKey> keys = model.runtimeKeys();
    line(sb, "options", String.join(" ", keys.stream().map(RuntimeKey::name).toList()));
    for (RuntimeKey k : keys) {
      line(sb, "option." + k.name() + ".type", k.type().display());
      k.defaultValue().ifPresent(v -> line(sb, "option." + k.name() + ".default", v.display()));
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String key, String value) {
    sb.append(key).append(" = ").append(value.replace("\n", " ")).append('\n');
  }
}
