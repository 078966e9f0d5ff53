package org.mirage4j.guest.boot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mirage4j.guest.image.GuestArch;

/**
 * Whether QEMU can use KVM here, found by booting, never by the presence of {@code /dev/kvm}
 * (some machines have a {@code /dev/kvm} backed by a software module that hangs every Debian
 * kernel). The probe boots the guest's own kernel with KVM and no initramfs: a working KVM gets it
 * to print its banner in a second or two. The answer is cached per host kernel, QEMU and guest
 * architecture, so the probe runs once per machine.
 */
final class KvmProbe {

  private static final long PROBE_SECONDS = 20;

  private KvmProbe() {}

  /** Whether {@code machine} boots {@code kernel} under KVM here. */
  static boolean works(QemuMachine machine, Path emulator, Path kernel, Path cacheDir, Consumer<String> log) {
    if (GuestArch.host().orElse(null) != machine.arch || !Files.isReadable(Path.of("/dev/kvm"))) {
      return false;
    }
    Path cache = cacheDir.resolve("kvm-probe-" + machine.arch.archName() + "-" + hostKernel() + "-"
        + emulator.toString().replace('/', '_'));
    try {
      if (Files.isRegularFile(cache)) {
        return Files.readString(cache).strip().equals("works");
      }
    } catch (IOException e) {
      // probe again
    }
    log.accept("probing whether KVM works here (a boot of up to " + PROBE_SECONDS + " s, once per machine)");
    boolean works = probe(machine, emulator, kernel);
    log.accept(works ? "KVM works: guests run under KVM" : "KVM does not boot a kernel here: guests run under TCG");
    try {
      Files.createDirectories(cacheDir);
      Files.writeString(cache, works ? "works\n" : "fails\n");
    } catch (IOException e) {
      // not cached: probed again next time
    }
    return works;
  }

  private static boolean probe(QemuMachine machine, Path emulator, Path kernel) {
    List<String> cmd = new ArrayList<>(List.of(emulator.toString(), "-accel", "kvm"));
    cmd.addAll(machine.machine);
    cmd.addAll(List.of("-cpu", "host", "-m", "256", "-display", "none", "-serial", "stdio", "-monitor", "none",
        "-no-reboot", "-kernel", kernel.toString(), "-append", "console=" + machine.console + " panic=-1"));
    Process p = null;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      Process proc = p;
      boolean[] banner = {false};
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.contains("Linux version")) {
              synchronized (banner) {
                banner[0] = true;
                banner.notifyAll();
              }
            }
          }
        } catch (IOException e) {
          // the probe ends
        }
      }, "kvm-probe");
      reader.setDaemon(true);
      reader.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROBE_SECONDS);
      synchronized (banner) {
        while (!banner[0] && System.nanoTime() < deadline && p.isAlive()) {
          banner.wait(200);
        }
        return banner[0];
      }
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      if (p != null) {
        p.destroyForcibly();
      }
    }
  }

  private static String hostKernel() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
