package org.mirage4j.guest.boot;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mirage4j.guest.image.GuestDescriptor;
import org.mirage4j.guest.image.GuestImageException;

/**
 * Boots a built guest under QEMU, as a developer's {@code mvn mirage:boot} and the tests do: the
 * same kernel and initramfs a Xen host would boot, on QEMU's machine for the architecture, with
 * KVM where a probe boot shows it works (TCG otherwise), a virtio NIC on QEMU's user network
 * (the guest is 10.0.2.15, the gateway 10.0.2.2; ports of 127.0.0.1 are forwarded to it) and a
 * virtio disk per disk of the guest configuration, whose serial number ({@code xvdb}) the guest's
 * init turns into the device name the unikernel expects.
 */
public final class QemuBoot {

  /** The guest's address on QEMU's user network. */
  public static final String GUEST_ADDRESS = "10.0.2.15";
  /** QEMU's user-network gateway. */
  public static final String GATEWAY = "10.0.2.2";
  /** The size of a disk file created because it was missing (std.mirage's block_size default). */
  static final long NEW_DISK_BYTES = 1 << 20;

  private QemuBoot() {}

  /** Whether this machine can boot {@code guest}'s architecture (QEMU installed or installable), or why not. */
  public static String unavailableReason(GuestDescriptor guest) {
    QemuMachine m = QemuMachine.of(guest.arch());
    if (HostTools.find(m.emulator).isPresent()) {
      return null;
    }
    if (HostTools.canInstall()) {
      return null;
    }
    return m.emulator + " is not installed and cannot be installed here (not root, or no apt-get)";
  }

  /**
   * Starts the guest.
   *
   * @throws GuestImageException when the image is missing, QEMU cannot be had, or a forwarded port
   *     is taken
   */
  public static RunningGuest start(BootRequest request) throws GuestImageException {
    GuestDescriptor guest = request.guest();
    if (!Files.isRegularFile(guest.kernelFile()) || !Files.isRegularFile(guest.ramdiskFile())) {
      throw new GuestImageException("no guest image " + guest.kernelFile().getFileName() + " + "
          + guest.ramdiskFile().getFileName() + " in " + guest.dir() + "; build it first (mvn package -Dmirage.target="
          + guest.target() + ", or mirage image)");
    }
    QemuMachine machine = QemuMachine.of(guest.arch());
    Path emulator = HostTools.require(machine.emulator, machine.debianPackage, request.log());
    boolean kvm = accelerator(machine, emulator, guest, request);

    List<String> arguments = programArguments(guest, request.arguments());
    List<PortForward> forwards = request.forwards().isEmpty() ? defaultForwards(guest, arguments) : request.forwards();
    for (PortForward f : forwards) {
      checkFree(f.hostPort());
    }

    List<String> cmd = new ArrayList<>();
    cmd.add(emulator.toString());
    cmd.addAll(machine.machine);
    if (kvm) {
      cmd.addAll(List.of("-accel", "kvm", "-cpu", "host"));
    } else {
      cmd.addAll(List.of("-accel", "tcg"));
      cmd.addAll(machine.emulatedCpu);
    }
    cmd.addAll(List.of("-m", Long.toString(guest.memoryMiB()), "-smp", Long.toString(guest.vcpus()),
        "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
        "-kernel", guest.kernelFile().toString(), "-initrd", guest.ramdiskFile().toString(),
        "-append", commandLine(machine, arguments)));
    StringBuilder net = new StringBuilder("user,id=n0");
    for (PortForward f : forwards) {
      net.append(",hostfwd=tcp:127.0.0.1:").append(f.hostPort()).append('-').append(GUEST_ADDRESS).append(':')
          .append(f.guestPort());
    }
    cmd.addAll(List.of("-netdev", net.toString(), "-device", "virtio-net-pci,netdev=n0,romfile="));
    int n = 0;
    for (Map.Entry<String, String> d : guest.disks().entrySet()) {
      Path file = disk(request.diskDir().resolve(d.getKey()), request.log());
      cmd.addAll(List.of("-drive", "file=" + file.toString().replace(",", ",,") + ",format=raw,if=none,id=d" + n,
          "-device", "virtio-blk-pci,drive=d" + n + ",serial=" + d.getValue()));
      n++;
    }
    request.log().accept("booting " + guest.name() + " (" + guest.arch().archName() + ") under QEMU "
        + (kvm ? "with KVM" : "(TCG)") + (forwards.isEmpty() ? "" : ", forwarding " + describe(forwards)));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      return new RunningGuest(p, forwards, request.console());
    } catch (IOException e) {
      throw new GuestImageException("cannot start " + emulator + ": " + e.getMessage(), e);
    }
  }

  private static boolean accelerator(QemuMachine machine, Path emulator, GuestDescriptor guest, BootRequest request)
      throws GuestImageException {
    String forced = System.getProperty("mirage.boot.accel", System.getenv().getOrDefault("MIRAGE4J_ACCEL", ""));
    switch (forced) {
      case "tcg":
        return false;
      case "kvm":
        return true;
      case "":
        return KvmProbe.works(machine, emulator, guest.kernelFile(), request.cacheDir(), request.log());
      default:
        throw new GuestImageException("the accelerator is tcg or kvm, not '" + forced + "'");
    }
  }

  /**
   * The unikernel's options: the user's, with the address of QEMU's user network for {@code
   * --ipv4} and {@code --ipv4-gateway} when the unikernel has them and the user gave none.
   */
  static List<String> programArguments(GuestDescriptor guest, List<String> given) {
    List<String> out = new ArrayList<>();
    if (!guest.networks().isEmpty()) {
      if (guest.options().containsKey("ipv4") && value(given, "ipv4") == null) {
        out.add("--ipv4=" + GUEST_ADDRESS + "/24");
      }
      if (guest.options().containsKey("ipv4-gateway") && value(given, "ipv4-gateway") == null) {
        out.add("--ipv4-gateway=" + GATEWAY);
      }
    }
    out.addAll(given);
    return out;
  }

  /** Every option of type {@code port}, at the value the unikernel will use, to the same host port. */
  static List<PortForward> defaultForwards(GuestDescriptor guest, List<String> arguments) throws GuestImageException {
    Map<Integer, PortForward> out = new LinkedHashMap<>();
    for (GuestDescriptor.Option o : guest.options().values()) {
      if (!o.type().equals("port") || guest.networks().isEmpty()) {
        continue;
      }
      String v = value(arguments, o.name());
      if (v == null) {
        v = o.defaultValue().orElse(null);
      }
      if (v == null) {
        continue;
      }
      try {
        int port = Integer.parseInt(v.trim());
        if (port > 0) {
          out.putIfAbsent(port, new PortForward(port, port));
        }
      } catch (IllegalArgumentException e) {
        throw new GuestImageException("--" + o.name() + " is a port, not '" + v + "'");
      }
    }
    return List.copyOf(out.values());
  }

  /** The value of {@code --name=V} or {@code --name V} in {@code args}, the last one winning. */
  static String value(List<String> args, String name) {
    String found = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--" + name + "=")) {
        found = a.substring(name.length() + 3);
      } else if (a.equals("--" + name) && i + 1 < args.size()) {
        found = args.get(i + 1);
      }
    }
    return found;
  }

  static String commandLine(QemuMachine machine, List<String> arguments) {
    StringBuilder sb = new StringBuilder("console=" + machine.console + " quiet panic=-1 --");
    for (String a : arguments) {
      sb.append(' ').append(a);
    }
    return sb.toString();
  }

  /** The guest's disk file, created empty when missing. */
  static Path disk(Path file, java.util.function.Consumer<String> log) throws GuestImageException {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
          f.setLength(NEW_DISK_BYTES);
        }
        log.accept("created the guest's disk " + file + " (" + NEW_DISK_BYTES + " bytes)");
      }
      return file.toAbsolutePath();
    } catch (IOException e) {
      throw new GuestImageException("cannot create the guest's disk " + file + ": " + e.getMessage(), e);
    }
  }

  private static void checkFree(int port) throws GuestImageException {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
    } catch (IOException e) {
      throw new GuestImageException("port " + port + " of 127.0.0.1 is in use; forward another one to the guest"
          + " (-Dmirage.boot.forward=HOST:GUEST, mirage boot --forward HOST:GUEST)");
    }
  }

  private static String describe(List<PortForward> forwards) {
    List<String> out = new ArrayList<>();
    for (PortForward f : forwards) {
      out.add("127.0.0.1:" + f.hostPort() + " to the guest's port " + f.guestPort());
    }
    return String.join(", ", out);
  }
}
