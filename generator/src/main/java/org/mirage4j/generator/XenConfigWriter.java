package org.mirage4j.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.mirage4j.model.UnikernelModel;

/**
 * Writes {@code <name>.xl} and {@code <name>.xl.in}, the Xen guest configuration, in the shape
 * MirageOS's {@code mirage configure -t xen} gives them: {@code name}, {@code type = 'pvh'} on
 * x86_64, {@code kernel} and {@code ramdisk} (the guest image built next to it), {@code memory},
 * {@code vcpus}, {@code gic_version} on ARM, {@code on_crash = 'preserve'}, {@code extra} (the
 * kernel command line: the words after {@code --} are the unikernel's options), one {@code disk} per
 * host disk file ({@code vdev=xvdb}, {@code xvdc}, ...) and one {@code vif} per network.
 *
 * <p>The {@code .xl} is ready to use with MirageOS's defaults (bridge {@code br0}, {@code br1}, ...;
 * disk files and image files relative to the directory {@code xl create} runs in). The {@code
 * .xl.in} carries MirageOS's placeholders instead ({@code @NAME@}, {@code @KERNEL@}, {@code
 * @RAMDISK@}, {@code @MEMORY@}, {@code @BLOCK:<file>@}, {@code @NETWORK:<name>@}) for deployment
 * tools to substitute.
 */
final class XenConfigWriter {

  private final UnikernelModel model;
  private final GuestSettings settings;
  private final GuestLayout layout;

  XenConfigWriter(UnikernelModel model, GuestSettings settings, GuestLayout layout) {
    this.model = model;
    this.settings = settings;
    this.layout = layout;
  }

  /** The ready-to-use {@code .xl}. */
  String xl() {
    return write(
        model.name(),
        settings.kernel(),
        settings.ramdisk(),
        Long.toString(settings.memoryMiB()),
        GuestLayout.Disk::file,
        GuestLayout.Vif::defaultBridge);
  }

  /** The {@code .xl.in} template with MirageOS's placeholders. */
  String xlIn() {
    return write(
        "@NAME@", "@KERNEL@", "@RAMDISK@", "@MEMORY@", d -> "@BLOCK:" + d.file() + "@",
        v -> "@NETWORK:" + v.name() + "@");
  }

  /** The kernel command line: the console, then the unikernel's options after {@code --}. */
  static String commandLine() {
    return "console=hvc0 quiet --";
  }

  private String write(
      String name,
      String kernel,
      String ramdisk,
      String memory,
      Function<GuestLayout.Disk, String> diskTarget,
      Function<GuestLayout.Vif, String> bridge) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(Markers.header(model)).append('\n');
    sb.append("# Xen guest configuration of unikernel ").append(model.name())
        .append(" (").append(settings.arch()).append("); start it with: xl create ")
        .append(model.name()).append(".xl\n");
    sb.append("# kernel and ramdisk: Debian's Linux (").append(settings.kernelImage())
        .append(") and the unikernel's initramfs, written next to\n")
        .append("# this file when the unikernel is packaged (mvn package, or mirage image)\n");
    sb.append('\n');
    sb.append("name = '").append(name).append("'\n");
    if (settings.arch().equals("x86_64")) {
      sb.append("type = 'pvh'\n");
    }
    sb.append("kernel = '").append(kernel).append("'\n");
    sb.append("ramdisk = '").append(ramdisk).append("'\n");
    sb.append("memory = ").append(memory).append('\n');
    sb.append("vcpus = ").append(settings.vcpus()).append('\n');
    settings.xlGicVersion().ifPresent(g -> sb.append("gic_version = '").append(g).append("'\n"));
    sb.append("on_crash = 'preserve'\n");
    sb.append("# the guest's console is hvc0; the words after -- are the unikernel's options");
    List<String> options = model.runtimeKeys().stream().map(k -> "--" + k.name()).toList();
    if (options.isEmpty()) {
      sb.append(" (it has none)\n");
    } else {
      sb.append(" (see --help):\n");
      StringBuilder line = new StringBuilder("#  ");
      for (String o : options) {
        if (line.length() + o.length() + 1 > 100) {
          sb.append(line).append('\n');
          line = new StringBuilder("#  ");
        }
        line.append(' ').append(o);
      }
      sb.append(line).append('\n');
      sb.append("# e.g. extra = '").append(commandLine()).append(' ').append(options.get(options.size() - 1))
          .append("=...'\n");
    }
    sb.append("extra = '").append(commandLine()).append("'\n");
    sb.append('\n');
    List<String> disks = new ArrayList<>();
    for (GuestLayout.Disk d : layout.disks) {
      disks.add("'format=raw, vdev=" + d.vdev() + ", access=rw, target=" + diskTarget.apply(d) + "'");
    }
    sb.append("disk = [ ").append(String.join(", ", disks)).append(" ]\n");
    sb.append('\n');
    sb.append("# if your system uses openvswitch then either edit /etc/xen/xl.conf and set\n");
    sb.append("#     vif.default.script=\"vif-openvswitch\"\n");
    sb.append("# or add \"script=vif-openvswitch,\" before the \"bridge=\" below:\n");
    List<String> vifs = new ArrayList<>();
    for (GuestLayout.Vif v : layout.vifs) {
      vifs.add("'bridge=" + bridge.apply(v) + "'");
    }
    sb.append("vif = [ ").append(String.join(", ", vifs)).append(" ]\n");
    return sb.toString();
  }
}
