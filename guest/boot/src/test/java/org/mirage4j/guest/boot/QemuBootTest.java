package org.mirage4j.guest.boot;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.guest.image.GuestArch;
import org.mirage4j.guest.image.GuestDescriptor;
import org.mirage4j.guest.image.GuestImageBuilder;
import org.mirage4j.guest.image.GuestImageRequest;
import org.mirage4j.guest.image.PartSources;
import org.mirage4j.guest.image.TestJars;

/**
 * A real guest under QEMU: the words after {@code --} reach the program, its exit status is the
 * boot's, a virtio disk appears under its Xen name. (The samples' tests boot the unikernels with
 * their network; this one needs no network.)
 */
class QemuBootTest {

  @Test
  void theProgramGetsItsOptionsAndItsExitStatusEndsTheBoot(@TempDir Path tmp) throws Exception {
    String why = TestJars.partsUnavailable();
    GuestDescriptor guest = descriptor(tmp.resolve("out"));
    if (why == null) {
      why = QemuBoot.unavailableReason(guest);
    }
    if (why != null) {
      System.out.println("SKIPPED " + getClass().getSimpleName() + ": " + why);
    }
    assumeTrue(why == null, why);
    Path jar = TestJars.echo(tmp.resolve("app"));
    new GuestImageBuilder(s -> {}).build(GuestImageRequest.of(guest, jar, PartSources.of(tmp.resolve("mirage-guest.lock"))));
    List<String> log = new ArrayList<>();
    try (RunningGuest g = QemuBoot.start(new BootRequest(guest, List.of("--greeting=hi", "--exit=3"), List.of(),
        tmp.resolve("out"), PartSources.defaultCacheDir(), s -> {}, log::add))) {
      OptionalInt status = g.waitFor(Duration.ofMinutes(3));
      String console = String.join("\n", g.console());
      assertThat(status).isEqualTo(OptionalInt.of(3));
      Optional<String> hello = g.console().stream().filter(l -> l.contains("hello from the guest")).findFirst();
      assertThat(hello).isPresent();
      assertThat(hello.get()).contains("args=--ipv4=10.0.2.15/24 --ipv4-gateway=10.0.2.2 --greeting=hi --exit=3 arch=amd64 java=17");
      // the disk the configuration names was created and attached; the init found it as xvdb
      assertThat(Files.size(tmp.resolve("out/data.img"))).isEqualTo(QemuBoot.NEW_DISK_BYTES);
      assertThat(console).doesNotContain("no disk /dev/xvdb");
      assertThat(console).doesNotContain("Kernel panic");
    }
    assertThat(String.join("\n", log)).contains("booting echo (x86_64) under QEMU");
  }

  @Test
  void theUnikernelsAddressAndPortsComeFromItsOptions() throws Exception {
    GuestDescriptor guest = descriptor(Path.of("out"));
    assertThat(QemuBoot.programArguments(guest, List.of("--port=9090")))
        .containsExactly("--ipv4=10.0.2.15/24", "--ipv4-gateway=10.0.2.2", "--port=9090").inOrder();
    assertThat(QemuBoot.programArguments(guest, List.of("--ipv4=10.0.2.20/24")))
        .containsExactly("--ipv4-gateway=10.0.2.2", "--ipv4=10.0.2.20/24").inOrder();
    assertThat(QemuBoot.defaultForwards(guest, List.of())).containsExactly(new PortForward(8080, 8080));
    assertThat(QemuBoot.defaultForwards(guest, List.of("--port", "9090"))).containsExactly(new PortForward(9090, 9090));
    assertThat(PortForward.parse("18080:8080")).isEqualTo(new PortForward(18080, 8080));
    assertThat(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> PortForward.parse("eighty"))).hasMessageThat().contains("HOST:GUEST or PORT");
  }

  private static GuestDescriptor descriptor(Path dir) {
    return new GuestDescriptor(dir, "echo", "xen", GuestArch.X86_64, "echo.vmlinuz", "echo.initrd", 256, 1,
        "console=hvc0 quiet --", List.of("eth0"), Map.of("data.img", "xvdb"), Map.of(
            "ipv4", new GuestDescriptor.Option("ipv4", "ipv4-prefix", Optional.of("10.0.0.2/24")),
            "ipv4-gateway", new GuestDescriptor.Option("ipv4-gateway", "list(ipv4-address)", Optional.empty()),
            "port", new GuestDescriptor.Option("port", "port", Optional.of("8080"))));
  }
}
