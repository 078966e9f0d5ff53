package org.mirage4j.guest.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.mirage4j.guest.debian.AptArchive;
import org.mirage4j.guest.debian.DebianParts;
import org.mirage4j.guest.debian.PartsLock;
import org.mirage4j.guest.image.GuestArch;
import org.mirage4j.guest.image.GuestDescriptor;
import org.mirage4j.guest.image.GuestImageException;
import org.mirage4j.guest.image.ImageTree;
import org.mirage4j.guest.image.InitramfsWriter;
import org.mirage4j.guest.image.KernelModules;
import org.mirage4j.guest.image.PartSources;
import org.mirage4j.guest.image.SharedLibraries;

/**
 * Xen in a box: a real Xen 4.17, from Debian's packages, booted nested in QEMU, with a dom0 that
 * the box builds (Debian's kernel, busybox and Debian's Xen toolstack) and that creates the guest
 * from its generated {@code .xl} with {@code xl create}, on a bridge reachable from the host
 * through forwarded ports of 127.0.0.1. On x86_64 the guest is a PVH domU (Xen under emulated
 * AMD-V: {@code -cpu qemu64,+svm,+npt}); on aarch64 a domU on QEMU's {@code virt} board with
 * virtualization; on armv7, where the box has no dom0, the guest is a dom0less domU (console only:
 * no backend, so no NIC or disk).
 *
 * <p>The dom0 checks every {@code .xl} it is given with Xen's own parser ({@code xl -N create}),
 * streams the guest's console to the box's console, takes {@code xl} commands typed (or {@linkplain
 * RunningGuest#send sent}) on its console ({@code xl shutdown slides}), and reports the unikernel's
 * exit status when the guest is gone.
 */
public final class XenBox {

  static final String XEN_VERSION = "4.17";
  /** The guest's address on the dom0 bridge (QEMU's user network). */
  public static final String GUEST_ADDRESS = "10.0.2.17";
  static final String DOM0_ADDRESS = "10.0.2.16";

  private static final List<String> TOOLSTACK = List.of("xen-utils-" + XEN_VERSION, "xenstore-utils");
  private static final List<String> TOOLSTACK_LIBRARIES = List.of(
      "libc6", "libgcc-s1", "libxenmisc" + XEN_VERSION, "libxencall1", "libxenevtchn1", "libxenforeignmemory1",
      "libxengnttab1", "libxenstore4", "libxentoollog1", "libxendevicemodel1", "libxenhypfs1", "libxentoolcore1",
      "libyajl2", "libncurses6", "libtinfo6", "libext2fs2", "libcom-err2", "libuuid1", "liblzma5", "libzstd1", "zlib1g");
  private static final List<String> DOM0_MODULES = List.of(
      "xen-evtchn", "xen-gntdev", "xen-gntalloc", "xen-privcmd", "xenfs", "xen-netback", "xen-blkback", "loop",
      "bridge", "e1000", "virtio_pci", "virtio_net");

  /**
   * What to boot.
   *
   * @param guest the generated guest (its image built next to its descriptor), or null for a dom0
   *     that only checks {@code xlToCheck}
   * @param arguments the unikernel's options
   * @param forwards ports of 127.0.0.1 forwarded to the guest; empty: every {@code port} option
   * @param xlToCheck more {@code .xl} files for Xen's parser in dom0
   * @param architecture the Xen's architecture when there is no guest
   * @param parts where the box's Debian parts come from (the project's lock pins them too)
   * @param workDir where the box's files go (the dom0 image, the device tree)
   * @param console the box's console lines (Xen's, dom0's and the guest's)
   * @param log the boot tool's own lines
   */
  public record Request(
      GuestDescriptor guest,
      List<String> arguments,
      List<PortForward> forwards,
      List<Path> xlToCheck,
      GuestArch architecture,
      PartSources parts,
      Path workDir,
      Consumer<String> console,
      Consumer<String> log) {
    /** Requires the essentials; copies the lists. */
    public Request {
      arguments = List.copyOf(arguments);
      forwards = List.copyOf(forwards);
      xlToCheck = List.copyOf(xlToCheck);
      Objects.requireNonNull(parts, "parts");
      Objects.requireNonNull(workDir, "workDir");
      if (guest == null && architecture == null) {
        throw new IllegalArgumentException("a box without a guest needs an architecture");
      }
    }

    GuestArch arch() {
      return guest != null ? guest.arch() : architecture;
    }
  }

  private XenBox() {}

  /** Starts the box: Xen, dom0 and the guest; the guest's exit status ends it. */
  public static RunningGuest start(Request request) throws GuestImageException {
    GuestArch arch = request.arch();
    try {
      Files.createDirectories(request.workDir());
    } catch (IOException e) {
      throw new GuestImageException("cannot create " + request.workDir() + ": " + e.getMessage(), e);
    }
    if (request.guest() != null && (!Files.isRegularFile(request.guest().kernelFile())
        || !Files.isRegularFile(request.guest().ramdiskFile()))) {
      throw new GuestImageException("no guest image in " + request.guest().dir() + "; build it first (mvn package -Dmirage.target="
          + request.guest().target() + ", or mirage image)");
    }
    PartsLock lock;
    try {
      lock = PartsLock.load(request.parts().lockFile());
    } catch (IOException e) {
      throw new GuestImageException("cannot read the lock file: " + e.getMessage(), e);
    }
    DebianParts parts = new DebianParts(request.parts().cacheDir(), lock, request.parts().partDirs(),
        AptArchive.onThisHost(request.parts().cacheDir().resolve("apt"), AptArchive.DEFAULT_SUITE),
        request.parts().pinning(), request.log());
    List<String> args = request.guest() == null ? List.of() : programArguments(request.guest(), request.arguments());
    List<PortForward> forwards = request.guest() == null ? List.of()
        : request.forwards().isEmpty() ? QemuBoot.defaultForwards(request.guest(), args) : request.forwards();
    RunningGuest running = switch (arch) {
      case X86_64 -> XenX86.start(request, parts, args, forwards);
      case AARCH64 -> XenArm64.start(request, parts, args, forwards);
      case ARMV7 -> XenArmDom0less.start(request, parts, args);
    };
    try {
      lock.save();
    } catch (IOException e) {
      throw new GuestImageException("cannot write the lock file: " + e.getMessage(), e);
    }
    return running;
  }

  /** The guest's options: the user's, with the dom0 bridge's address for {@code --ipv4} when not given. */
  static List<String> programArguments(GuestDescriptor guest, List<String> given) {
    List<String> out = new ArrayList<>();
    if (!guest.networks().isEmpty()) {
      if (guest.options().containsKey("ipv4") && QemuBoot.value(given, "ipv4") == null) {
        out.add("--ipv4=" + GUEST_ADDRESS + "/24");
      }
      if (guest.options().containsKey("ipv4-gateway") && QemuBoot.value(given, "ipv4-gateway") == null) {
        out.add("--ipv4-gateway=" + QemuBoot.GATEWAY);
      }
    }
    out.addAll(given);
    return out;
  }

  /**
   * The dom0's initramfs: busybox, the toolstack with its libraries, the dom0 kernel's Xen backend
   * and NIC modules, the hotplug scripts, {@code /init}, and in {@code /guest} the guest's image,
   * its {@code .xl} and disk files, and the {@code .xl} files to check.
   */
  static Path dom0Image(Request request, DebianParts parts, Path dom0KernelTree, List<String> args)
      throws GuestImageException {
    GuestArch arch = request.arch();
    String deb = arch.debianArch();
    ImageTree tree = new ImageTree();
    for (String d : List.of("dev", "proc", "sys", "run", "root", "tmp", "etc", "var")) {
      tree.dir(d, d.equals("tmp") ? 01777 : 0755);
    }
    Path busybox = parts.extracted("busybox-static", deb).resolve("bin/busybox");
    tree.file("bin/busybox", busybox, 0755);
    tree.link("bin/sh", "busybox");
    List<Path> elves = new ArrayList<>();
    try {
      for (String pkg : TOOLSTACK) {
        Path root = parts.extracted(pkg, deb);
        for (String dir : List.of("usr/lib/xen-" + XEN_VERSION + "/bin", "usr/bin", "usr/sbin")) {
          if (Files.isDirectory(root.resolve(dir))) {
            tree.tree(dir, root.resolve(dir));
            elves.addAll(SharedLibraries.elfFiles(root.resolve(dir)));
          }
        }
      }
      List<Path> searchDirs = new ArrayList<>();
      List<String> libs = new ArrayList<>(TOOLSTACK_LIBRARIES);
      if (arch == GuestArch.AARCH64) {
        libs.add("libfdt1");
      }
      for (String pkg : libs) {
        searchDirs.addAll(SharedLibraries.searchDirs(parts.extracted(pkg, deb), arch));
      }
      // glibc loads libgcc_s by name for pthread_cancel (xl cancels its threads)
      SharedLibraries.Closure closure =
          SharedLibraries.add(tree, arch, elves, List.of(), List.of("libgcc_s.so.1"), searchDirs);
      if (!closure.missing().isEmpty()) {
        request.log().accept("dom0: libraries none of the toolstack's packages has (tools that need them will not run): "
            + String.join(", ", closure.missing()));
      }
      KernelModules modules = KernelModules.of(dom0KernelTree);
      StringBuilder order = new StringBuilder();
      for (KernelModules.Module m : modules.loadOrder(DOM0_MODULES)) {
        tree.file("lib/modules/" + m.name() + ".ko", modules.file(m), 0644);
        order.append(m.name()).append('\n');
      }
      tree.text("lib/modules/order", order.toString(), 0644);
      tree.text("etc/xen/scripts/vif-bridge", resource("vif-bridge.sh"), 0755);
      tree.text("etc/xen/scripts/block", resource("block.sh"), 0755);
      tree.text("etc/xen/xl.conf", "# mirage4j's Xen-in-a-box dom0\nautoballoon=\"off\"\n", 0644);
      tree.text("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644);
      tree.text("etc/hosts", "127.0.0.1 localhost\n", 0644);
      GuestDescriptor guest = request.guest();
      String name = "";
      if (guest != null) {
        name = guest.name();
        tree.file("guest/" + guest.kernel(), guest.kernelFile(), 0644);
        tree.file("guest/" + guest.ramdisk(), guest.ramdiskFile(), 0644);
        tree.file("guest/" + name + ".xl", guest.dir().resolve(name + ".xl"), 0644);
        for (String disk : guest.disks().keySet()) {
          tree.file("guest/" + disk, QemuBoot.disk(guest.dir().resolve(disk), request.log()), 0644);
        }
      }
      int i = 0;
      for (Path xl : request.xlToCheck()) {
        tree.file("guest/check/" + String.format("%03d-", i++) + xl.getFileName(), xl, 0644);
      }
      String extra = guest == null ? "" : guest.commandLine() + (args.isEmpty() ? "" : " " + String.join(" ", args));
      tree.text("init", resource("dom0-init.sh").replace("@XEN_VERSION@", XEN_VERSION).replace("@NAME@", name)
          .replace("@EXTRA@", extra).replace("@DOM0_ADDRESS@", DOM0_ADDRESS).replace("@GATEWAY@", QemuBoot.GATEWAY), 0755);
      Path out = request.workDir().resolve("dom0.initrd");
      InitramfsWriter.write(tree, out, InitramfsWriter.Compression.GZIP);
      return out;
    } catch (IOException e) {
      throw new GuestImageException("cannot build the dom0 image in " + request.workDir() + ": " + e.getMessage(), e);
    }
  }

  /** The Xen hypervisor of the architecture, ready for QEMU to load. */
  static Path hypervisor(DebianParts parts, GuestArch arch, Path workDir) throws GuestImageException {
    String pkg = "xen-hypervisor-" + XEN_VERSION + "-" + arch.debianArch();
    Path root = parts.extracted(pkg, arch.debianArch());
    Path out = workDir.resolve("xen");
    try {
      Path gz = root.resolve("boot/xen-" + XEN_VERSION + "-" + arch.debianArch() + ".gz");
      if (Files.isRegularFile(gz)) {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz)); OutputStream o = Files.newOutputStream(out)) {
          in.transferTo(o);
        }
      } else {
        Files.copy(root.resolve("boot/xen-" + XEN_VERSION + "-" + arch.debianArch()), out, StandardCopyOption.REPLACE_EXISTING);
      }
      return out;
    } catch (IOException e) {
      throw new GuestImageException("the package " + pkg + " has no Xen hypervisor image: " + e.getMessage(), e);
    }
  }

  /** The dom0 kernel file of an extracted kernel package. */
  static Path kernel(Path kernelTree) throws GuestImageException {
    KernelModules m = KernelModules.of(kernelTree);
    Path k = kernelTree.resolve("boot/vmlinuz-" + m.release());
    if (!Files.isRegularFile(k)) {
      throw new GuestImageException("the kernel package has no boot/vmlinuz-" + m.release());
    }
    return k;
  }

  static String resource(String name) throws GuestImageException {
    try (InputStream in = XenBox.class.getResourceAsStream("xen/" + name)) {
      if (in == null) {
        throw new GuestImageException("the boot tool's " + name + " is missing from its jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new GuestImageException("cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /** Starts QEMU with stdin open (dom0 takes commands on its console); the guest's exit ends it. */
  static RunningGuest launch(List<String> cmd, List<PortForward> forwards, Request request) throws GuestImageException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      return new RunningGuest(p, forwards, request.console(), true);
    } catch (IOException e) {
      throw new GuestImageException("cannot start " + cmd.get(0) + ": " + e.getMessage(), e);
    }
  }

  /** {@code hostfwd} options for the guest's forwarded ports, on the dom0 bridge's guest address. */
  static String netdev(List<PortForward> forwards) {
    StringBuilder net = new StringBuilder("user,id=n0");
    for (PortForward f : forwards) {
      net.append(",hostfwd=tcp:127.0.0.1:").append(f.hostPort()).append('-').append(GUEST_ADDRESS).append(':')
          .append(f.guestPort());
    }
    return net.toString();
  }

  /** Runs a host command to its end, for the device tree compiler. */
  static String run(List<String> cmd, Path dir) throws GuestImageException {
    try {
      Path out = Files.createTempFile(dir, "cmd", ".out");
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new GuestImageException(cmd.get(0) + " did not finish");
      }
      String text = Files.readString(out);
      Files.deleteIfExists(out);
      if (p.exitValue() != 0) {
        throw new GuestImageException(String.join(" ", cmd) + " failed: " + text.strip());
      }
      return text;
    } catch (IOException e) {
      throw new GuestImageException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GuestImageException("interrupted", e);
    }
  }
}
