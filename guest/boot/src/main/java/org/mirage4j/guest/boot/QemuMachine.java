package org.mirage4j.guest.boot;

import java.util.List;
import org.mirage4j.guest.image.GuestArch;

/**
 * The QEMU machine a guest architecture boots on: the emulator, its machine and CPU, the console
 * the kernel writes to, and the Debian package that has the emulator. NICs and disks are virtio
 * on PCI, which every one of these machines has.
 */
enum QemuMachine {
  X86_64(GuestArch.X86_64, "qemu-system-x86_64", List.of("-M", "pc"), List.of(), "ttyS0", "qemu-system-x86"),
  AARCH64(GuestArch.AARCH64, "qemu-system-aarch64", List.of("-M", "virt"), List.of("-cpu", "cortex-a57"), "ttyAMA0",
      "qemu-system-arm"),
  ARMV7(GuestArch.ARMV7, "qemu-system-arm", List.of("-M", "virt"), List.of("-cpu", "cortex-a15"), "ttyAMA0",
      "qemu-system-arm");

  final GuestArch arch;
  final String emulator;
  final List<String> machine;
  final List<String> emulatedCpu;
  final String console;
  final String debianPackage;

  QemuMachine(GuestArch arch, String emulator, List<String> machine, List<String> emulatedCpu, String console,
      String debianPackage) {
    this.arch = arch;
    this.emulator = emulator;
    this.machine = machine;
    this.emulatedCpu = emulatedCpu;
    this.console = console;
    this.debianPackage = debianPackage;
  }

  static QemuMachine of(GuestArch arch) {
    for (QemuMachine m : values()) {
      if (m.arch == arch) {
        return m;
      }
    }
    throw new IllegalArgumentException("no QEMU machine for " + arch);
  }
}
