package org.mirage4j.guest.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.guest.debian.DebianParts;
import org.mirage4j.guest.image.GuestArch;
import org.mirage4j.guest.image.GuestDescriptor;
import org.mirage4j.guest.image.GuestImageException;

/**
 * Xen/ARM32 nested in QEMU's {@code virt} board (Cortex-A15, GICv2) with the guest as a dom0less
 * domain: Xen starts it from the device tree with a virtual PL011 console, which Xen relays to its
 * own. No dom0 means no backend, so the guest has no NIC or disk here; its console is what shows
 * it running.
 */
final class XenArmDom0less {

  static final long KERNEL_AT = 0x50000000L;
  static final long INITRD_AT = 0x52000000L;

  private XenArmDom0less() {}

  static RunningGuest start(XenBox.Request request, DebianParts parts, List<String> args) throws GuestImageException {
    GuestDescriptor guest = request.guest();
    if (guest == null) {
      throw new GuestImageException("Xen/ARM32 here is dom0less: it boots a guest, not a dom0 alone");
    }
    java.nio.file.Path emulator = HostTools.require("qemu-system-arm", "qemu-system-arm", request.log());
    java.nio.file.Path work = request.workDir();
    java.nio.file.Path xen = XenBox.hypervisor(parts, GuestArch.ARMV7, work);
    List<String> machine = List.of("-M", "virt,virtualization=on,gic-version=2", "-cpu", "cortex-a15", "-smp", "2",
        "-m", "1536");
    long kernelSize;
    long initrdSize;
    try {
      kernelSize = Files.size(guest.kernelFile());
      initrdSize = Files.size(guest.ramdiskFile());
    } catch (IOException e) {
      throw new GuestImageException(e.getMessage(), e);
    }
    if (KERNEL_AT + kernelSize > INITRD_AT) {
      throw new GuestImageException("the guest's kernel (" + kernelSize + " bytes) does not fit below the initramfs's address");
    }
    String bootargs = "console=ttyAMA0 quiet --" + (args.isEmpty() ? "" : " " + String.join(" ", args));
    String chosen = "\t\t#address-cells = <0x2>;\n\t\t#size-cells = <0x2>;\n"
        + "\t\txen,xen-bootargs = \"console=dtuart dtuart=/pl011@9000000 bootscrub=0\";\n"
        + "\t\tdomU1 {\n"
        + "\t\t\tcompatible = \"xen,domain\";\n\t\t\t#address-cells = <0x2>;\n\t\t\t#size-cells = <0x2>;\n"
        + "\t\t\tmemory = <0x0 0x" + Long.toHexString(guest.memoryMiB() * 1024) + ">;\n"
        + "\t\t\tcpus = <0x1>;\n\t\t\tvpl011;\n"
        + DeviceTree.module("kernel", KERNEL_AT, kernelSize, bootargs, "\t\t\t")
        + DeviceTree.module("ramdisk", INITRD_AT, initrdSize, null, "\t\t\t")
        + "\t\t};\n";
    java.nio.file.Path dtb = DeviceTree.withChosen(emulator, machine, chosen, work, request.log());
    List<String> cmd = new ArrayList<>();
    cmd.add(emulator.toString());
    cmd.addAll(machine);
    cmd.addAll(List.of("-accel", "tcg", "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
        "-kernel", xen.toString(), "-dtb", dtb.toString(),
        "-device", "loader,file=" + guest.kernelFile().toAbsolutePath() + ",addr=0x" + Long.toHexString(KERNEL_AT),
        "-device", "loader,file=" + guest.ramdiskFile().toAbsolutePath() + ",addr=0x" + Long.toHexString(INITRD_AT)));
    request.log().accept("booting Xen " + XenBox.XEN_VERSION + " (armv7) nested in QEMU (TCG) with "
        + guest.name() + " as a dom0less domain (console only)");
    return XenBox.launch(cmd, List.of(), request);
  }
}
