package org.mirage4j.guest.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.guest.debian.DebianParts;
import org.mirage4j.guest.image.GuestArch;
import org.mirage4j.guest.image.GuestImageException;

/**
 * Xen x86_64 nested in QEMU: Xen's multiboot image loaded by QEMU's {@code -kernel}, Debian's
 * generic kernel as a PV dom0 (the cloud kernel cannot be one) with its initramfs as multiboot
 * modules, an e1000 NIC on QEMU's user network; the CPU model {@code qemu64,+svm,+npt} is the one
 * under which TCG's emulated AMD-V runs a PVH domU (with {@code max}, dom0 dies on SMAP and PVH on
 * RDTSCP, as the guest recipes found).
 */
final class XenX86 {

  private XenX86() {}

  static RunningGuest start(XenBox.Request request, DebianParts parts, List<String> args, List<PortForward> forwards)
      throws GuestImageException {
    Path emulator = HostTools.require("qemu-system-x86_64", "qemu-system-x86", request.log());
    Path work = request.workDir();
    String kernelPackage = parts.resolveMeta("linux-image-amd64", "amd64");
    Path kernelTree = parts.extracted(kernelPackage, "amd64");
    Path kernel = work.resolve("dom0.vmlinuz");
    try {
      Files.copy(XenBox.kernel(kernelTree), kernel, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new GuestImageException("cannot copy the dom0 kernel to " + work + ": " + e.getMessage(), e);
    }
    Path xen = XenBox.hypervisor(parts, GuestArch.X86_64, work);
    Path initrd = XenBox.dom0Image(request, parts, kernelTree, args);
    for (Path p : List.of(kernel, initrd, xen)) {
      if (p.toString().contains(",") || p.toString().contains(" ")) {
        throw new GuestImageException("the box's directory " + work + " may not contain commas or spaces (QEMU's multiboot modules)");
      }
    }
    List<String> cmd = new ArrayList<>(List.of(emulator.toString(), "-M", "pc", "-accel", "tcg",
        "-cpu", "qemu64,+svm,+npt", "-smp", "2", "-m", "2048", "-display", "none", "-serial", "stdio",
        "-monitor", "none", "-no-reboot",
        "-kernel", xen.toString(),
        "-append", "console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M noreboot",
        "-initrd", kernel + " console=hvc0 earlyprintk=xen quiet," + initrd,
        "-netdev", XenBox.netdev(forwards), "-device", "e1000,netdev=n0,romfile="));
    request.log().accept("booting Xen " + XenBox.XEN_VERSION + " (x86_64) nested in QEMU (TCG, emulated AMD-V)"
        + (request.guest() == null ? "" : " with " + request.guest().name() + " as a PVH domU"));
    return XenBox.launch(cmd, forwards, request);
  }
}
