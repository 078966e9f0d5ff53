package org.mirage4j.guest.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.guest.image.GuestImageException;

/**
 * The device tree a Xen on ARM boots with: QEMU's own for the machine (dumped with the same
 * machine, CPU, CPU count and memory as the real run), with a {@code /chosen} node added that
 * tells Xen its command line and where QEMU's loader put the modules (dom0's kernel and initramfs,
 * or a dom0less domain). Compiled with Debian's {@code dtc}.
 */
final class DeviceTree {

  private DeviceTree() {}

  /**
   * QEMU's device tree for {@code machine} with {@code chosen} (the body of a {@code /chosen} node) added.
   */
  static Path withChosen(Path emulator, List<String> machine, String chosen, Path work,
      java.util.function.Consumer<String> log) throws GuestImageException {
    Path dtc = HostTools.require("dtc", "device-tree-compiler", log);
    Path dumped = work.resolve("qemu.dtb");
    List<String> dump = new ArrayList<>();
    dump.add(emulator.toString());
    List<String> m = new ArrayList<>(machine);
    int at = m.indexOf("-M");
    m.set(at + 1, m.get(at + 1) + ",dumpdtb=" + dumped);
    dump.addAll(m);
    dump.addAll(List.of("-display", "none"));
    XenBox.run(dump, work);
    String dts = XenBox.run(List.of(dtc.toString(), "-q", "-I", "dtb", "-O", "dts", dumped.toString()), work);
    Path source = work.resolve("xen.dts");
    Path out = work.resolve("xen.dtb");
    try {
      Files.writeString(source, dts + "\n/ {\n\tchosen {\n" + chosen + "\t};\n};\n");
    } catch (IOException e) {
      throw new GuestImageException("cannot write " + source + ": " + e.getMessage(), e);
    }
    XenBox.run(List.of(dtc.toString(), "-q", "-I", "dts", "-O", "dtb", "-o", out.toString(), source.toString()), work);
    return out;
  }

  /** A {@code multiboot} module node: {@code kind} is {@code kernel} or {@code ramdisk}. */
  static String module(String kind, long address, long size, String bootargs, String indent) {
    return indent + "module@" + Long.toHexString(address) + " {\n"
        + indent + "\tcompatible = \"multiboot," + kind + "\", \"multiboot,module\";\n"
        + indent + "\treg = <0x0 0x" + Long.toHexString(address) + " 0x0 0x" + Long.toHexString(size) + ">;\n"
        + (bootargs == null ? "" : indent + "\tbootargs = \"" + bootargs.replace("\"", "\\\"") + "\";\n")
        + indent + "};\n";
  }
}
