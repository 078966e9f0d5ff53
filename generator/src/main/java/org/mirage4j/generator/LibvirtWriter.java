package org.mirage4j.generator;

import org.mirage4j.model.UnikernelModel;

/**
 * Writes {@code <name>.libvirt.xml}, a libvirt domain for the same guest as the {@code .xl} file
 * (libvirt's libxl driver): {@code xenpvh} on x86_64, a Xen PV guest on arm with its GIC version,
 * the same memory, vcpus, kernel, disks ({@code xvdb}, ...) and bridges ({@code br0}, ...), and the
 * console on {@code hvc0}. Start it with {@code virsh -c xen:/// create <name>.libvirt.xml}.
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

  /** The domain XML. */
  String write() {
    StringBuilder sb = new StringBuilder();
    sb.append("<!-- ").append(xml(Markers.header(model))).append(" -->\n");
    sb.append("<domain type='xen'>\n");
    sb.append("  <name>").append(xml(model.name())).append("</name>\n");
    sb.append("  <memory unit='MiB'>").append(settings.memoryMiB()).append("</memory>\n");
    sb.append("  <vcpu>").append(settings.vcpus()).append("</vcpu>\n");
    sb.append("  <os>\n");
    if (settings.arch().equals("x86_64")) {
      sb.append("    <type arch='x86_64' machine='xenpvh'>xenpvh</type>\n");
    } else {
      String arch = settings.arch().equals("armv7") ? "armv7l" : settings.arch();
      sb.append("    <type arch='").append(arch).append("' machine='xenpv'>xen</type>\n");
    }
    sb.append("    <kernel>").append(xml(settings.kernel())).append("</kernel>\n");
    sb.append("    <cmdline>console=hvc0</cmdline>\n");
    sb.append("  </os>\n");
    settings.gicVersion().ifPresent(g -> {
      sb.append("  <features>\n");
      sb.append("    <gic version='")
          .append(g.equals("default") ? "host" : g.substring(1))
          .append("'/>\n");
      sb.append("  </features>\n");
    });
    sb.append("  <on_poweroff>destroy</on_poweroff>\n");
    sb.append("  <on_reboot>restart</on_reboot>\n");
    sb.append("  <on_crash>preserve</on_crash>\n");
    sb.append("  <devices>\n");
    for (GuestLayout.Disk d : layout.disks) {
      sb.append("    <disk type='file' device='disk'>\n");
      sb.append("      <driver name='qemu' type='raw'/>\n");
      sb.append("      <source file='").append(xml(d.file())).append("'/>\n");
      sb.append("      <target dev='").append(d.vdev()).append("' bus='xen'/>\n");
      sb.append("    </disk>\n");
    }
    for (GuestLayout.Vif v : layout.vifs) {
      sb.append("    <!-- network ").append(xml(v.name())).append(" -->\n");
      sb.append("    <interface type='bridge'>\n");
      sb.append("      <source bridge='").append(v.defaultBridge()).append("'/>\n");
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
