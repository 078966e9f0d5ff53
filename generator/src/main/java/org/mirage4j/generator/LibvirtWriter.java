package org.mirage4j.generator;

import java.nio.file.Path;
import java.util.function.Function;
import org.mirage4j.model.UnikernelModel;

/**
 * Writes {@code <name>.libvirt.xml}, a libvirt domain for the same guest as the {@code .xl} file
 * (libvirt's libxl driver), valid against libvirt's own schema ({@code virt-xml-validate FILE
 * domain}): {@code xenpvh} on x86_64, a Xen PV domain on ARM with its GIC version, the same memory,
 * vcpus, kernel, initramfs, command line, disks ({@code xvdb}, ...) and bridges ({@code br0}, ...),
 * and the console on {@code hvc0}. libvirt wants absolute paths, so the kernel, initramfs and disk
 * files are those of the output directory; {@code <name>.libvirt.xml.in} has the same domain with
 * the {@code .xl.in}'s placeholders instead. Start it with {@code virsh -c xen:/// create
 * <name>.libvirt.xml}.
 */
final class LibvirtWriter {

  private final UnikernelModel model;
  private final GuestSettings settings;
  private final GuestLayout layout;

  LibvirtWriter(UnikernelModel model, GuestSettings settings, GuestLayout layout) {
    this.model = model;
    this.settings = settings;
    this.layout = layout;
  }

  /** The domain, with absolute paths below {@code dir} (the artifacts directory). */
  String write(Path dir) {
    Path base = dir.toAbsolutePath().normalize();
    return write(model.name(), base.resolve(settings.kernel()).toString(), base.resolve(settings.ramdisk()).toString(),
        Long.toString(settings.memoryMiB()), d -> base.resolve(d.file()).normalize().toString(),
        GuestLayout.Vif::defaultBridge);
  }

  /** The domain with MirageOS's placeholders. */
  String writeTemplate() {
    return write("@NAME@", "@KERNEL@", "@RAMDISK@", "@MEMORY@", d -> "@BLOCK:" + d.file() + "@",
        v -> "@NETWORK:" + v.name() + "@");
  }

  private String write(
      String name,
      String kernel,
      String ramdisk,
      String memory,
      Function<GuestLayout.Disk, String> diskSource,
      Function<GuestLayout.Vif, String> bridge) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!-- ").append(xml(Markers.header(model))).append(" -->\n");
    sb.append("<domain type='xen'>\n");
    sb.append("  <name>").append(xml(name)).append("</name>\n");
    sb.append("  <memory unit='MiB'>").append(xml(memory)).append("</memory>\n");
    sb.append("  <vcpu>").append(settings.vcpus()).append("</vcpu>\n");
    sb.append("  <os>\n");
    if (settings.arch().equals("x86_64")) {
      sb.append("    <type arch='x86_64' machine='xenpvh'>xenpvh</type>\n");
    } else {
      // libvirt's schema names no ARM architecture for Xen domains: the host's is taken, and Xen
      // reads the guest's word size from its kernel image
      sb.append("    <type machine='xenpv'>xen</type>\n");
    }
    sb.append("    <kernel>").append(xml(kernel)).append("</kernel>\n");
    sb.append("    <initrd>").append(xml(ramdisk)).append("</initrd>\n");
    sb.append("    <cmdline>").append(xml(XenConfigWriter.commandLine())).append("</cmdline>\n");
    sb.append("  </os>\n");
    settings.libvirtGicVersion().ifPresent(g -> {
      sb.append("  <features>\n");
      sb.append("    <gic version='").append(g).append("'/>\n");
      sb.append("  </features>\n");
    });
    sb.append("  <on_poweroff>destroy</on_poweroff>\n");
    sb.append("  <on_reboot>restart</on_reboot>\n");
    sb.append("  <on_crash>preserve</on_crash>\n");
    sb.append("  <devices>\n");
    for (GuestLayout.Disk d : layout.disks) {
      sb.append("    <disk type='file' device='disk'>\n");
      sb.append("      <driver name='qemu' type='raw'/>\n");
      sb.append("      <source file='").append(xml(diskSource.apply(d))).append("'/>\n");
      sb.append("      <target dev='").append(d.vdev()).append("' bus='xen'/>\n");
      sb.append("    </disk>\n");
    }
    for (GuestLayout.Vif v : layout.vifs) {
      sb.append("    <!-- network ").append(xml(v.name())).append(" -->\n");
      sb.append("    <interface type='bridge'>\n");
      sb.append("      <source bridge='").append(xml(bridge.apply(v))).append("'/>\n");
      sb.append("    </interface>\n");
    }
    sb.append("    <console type='pty'>\n");
    sb.append("      <target type='xen' port='0'/>\n");
    sb.append("    </console>\n");
    sb.append("  </devices>\n");
    sb.append("</domain>\n");
    return sb.toString();
  }

  /** Text escaped for XML content, attribute values in single quotes and comments. */
  static String xml(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&apos;")
        .replace("\"", "&quot;")
        .replace("--", "-&#45;");
  }
}
