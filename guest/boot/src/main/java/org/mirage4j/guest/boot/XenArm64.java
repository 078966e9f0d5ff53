package org.mirage4j.guest.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.guest.debian.DebianParts;
import org.mirage4j.guest.image.GuestArch;
import org.mirage4j.guest.image.GuestImageException;

/**
 * Xen/ARM64 nested in QEMU's {@code virt} board with virtualization and a GICv3: Xen loaded as a
 * Linux Image, Debian's arm64 kernel as dom0 (it has XEN_DOM0) with its initramfs, both put in
 * memory by QEMU's loader where the device tree's {@code /chosen} says, and a virtio NIC for dom0's
 * bridge.
 */
final class XenArm64 {

  static final long KERNEL_AT = 0x50000000L;
  static final long INITRD_AT = 0x58000000L;

  private XenArm64() {}

  static RunningGuest start(XenBox.Request request, DebianParts parts, List<String> args, List<PortForward> forwards)
      throws GuestImageException {
    Path emulator = HostTools.require("qemu-system-aarch64", "qemu-system-arm", request.log());
    Path work = request.workDir();
    String kernelPackage = parts.resolveMeta("linux-image-arm64", "arm64");
    Path kernelTree = parts.extracted(kernelPackage, "arm64");
    Path kernel = XenBox.kernel(kernelTree);
    Path xen = XenBox.hypervisor(parts, GuestArch.AARCH64, work);
    Path initrd = XenBox.dom0Image(request, parts, kernelTree, args);
    List<String> machine = List.of("-M", "virt,virtualization=on,gic-version=3", "-cpu", "cortex-a57", "-smp", "2",
        "-m", "2048");
    long kernelSize;
    long initrdSize;
    try {
      kernelSize = Files.size(kernel);
      initrdSize = Files.size(initrd);
    } catch (IOException e) {
      throw new GuestImageException(e.getMessage(), e);
    }
    if (KERNEL_AT + kernelSize > INITRD_AT) {
      throw new GuestImageException("the dom0 kernel (" + kernelSize + " bytes) does not fit below the initramfs's address");
    }
    String chosen = "\t\t#address-cells = <0x2>;\n\t\t#size-cells = <0x2>;\n"
        + "\t\txen,xen-bootargs = \"console=dtuart dtuart=/pl011@9000000 dom0_mem=768M bootscrub=0\";\n"
        + "\t\txen,dom0-bootargs = \"console=hvc0 earlycon=xenboot quiet\";\n"
        + DeviceTree.module("kernel", KERNEL_AT, kernelSize, null, "\t\t")
        + DeviceTree.module("ramdisk", INITRD_AT, initrdSize, null, "\t\t");
    Path dtb = DeviceTree.withChosen(emulator, machine, chosen, work, request.log());
    List<String> cmd = new ArrayList<>();
    cmd.add(emulator.toString());
    cmd.addAll(machine);
    cmd.addAll(List.of("-accel", "tcg", "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
        "-kernel", xen.toString(), "-dtb", dtb.toString(),
        "-device", "loader,file=" + kernel + ",addr=0x" + Long.toHexString(KERNEL_AT),
        "-device", "loader,file=" + initrd + ",addr=0x" + Long.toHexString(INITRD_AT),
        "-netdev", XenBox.netdev(forwards), "-device", "virtio-net-pci,netdev=n0,romfile="));
    request.log().accept("booting Xen " + XenBox.XEN_VERSION + " (aarch64) nested in QEMU (TCG, virt with virtualization)"
        + (request.guest() == null ? "" : " with " + request.guest().name() + " as a domU"));
    return XenBox.launch(cmd, forwards, request);
  }
}
