package org.mirage4j.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.mirage4j.model.UnikernelModel;

/**
 * Writes {@code <name>.xl} and {@code <name>.xl.in}, the Xen guest configuration, in the shape
 * MirageOS's {@code mirage configure -t xen} gives them: {@code name}, {@code kernel}, {@code type =
 * 'pvh'} on x86_64, {@code memory}, {@code vcpus}, {@code on_crash = 'preserve'}, one {@code disk}
 * per host disk file ({@code vdev=xvdb}, {@code xvdc}, ...) and one {@code vif} per network.
 *
 * <p>The {@code .xl} is ready to use with MirageOS's defaults (bridge {@code br0}, {@code br1}, ...;
 * disk files and kernel named as in the configuration). The {@code .xl.in} carries MirageOS's
 * placeholders instead ({@code @NAME@}, {@code @KERNEL@}, {@code @MEMORY@}, {@code
 * @BLOCK:<file>@}, {@code @NETWORK:<name>@}) for deployment tools to substitute.
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
        Long.toString(settings.memoryMiB()),
        GuestLayout.Disk::file,
        GuestLayout.Vif::defaultBridge);
  }

  /** The {@code .xl.in} template with MirageOS's placeholders. */
  String xlIn() {
    return write(
        "@NAME@", "@KERNEL@", "@MEMORY@", d -> "@BLOCK:" + d.file() + "@",
        v -> "@NETWORK:" + v.name() + "@");
  }

  private String write(
      String name,
      String kernel,
      String memory,
      Function<GuestLayout.Disk, String> diskTarget,
      Function<GuestLayout.Vif, String> bridge) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(Markers.header(model)).append('\n');
    sb.append("# Xen guest configuration of unikernel ").append(model.name())
        .append(" (").append(settings.arch()).append("); start it with: xl create ")
        .append(model.name()).append(".xl\n");
    sb.append('\n');
    sb.append("name = '").append(name).append("'\n");
    sb.append("kernel = '").append(kernel).append("'\n");
    if (settings.arch().equals("x86_64")) {
      sb.append("type = 'pvh'\n");
    }
    sb.append("memory = ").append(memory).append('\n');
    sb.append("vcpus = ").append(settings.vcpus()).append('\n');
    settings.gicVersion().ifPresent(g -> sb.append("gic_version = '").append(g).append("'\n"));
    sb.append("on_crash = 'preserve'\n");
    sb.append("# the guest's console is hvc0\n");
    sb.append("extra = 'console=hvc0'\n");
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
