package org.mirage4j.guest.image;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.guest.debian.PartsLock;

/**
 * A real guest image from Debian's parts (fetched with apt into the user's cache the first time):
 * built twice into two directories, the two are the same bytes; the lock pins every part.
 */
class GuestImageBuildTest {

  @Test
  void anImageIsReproducibleAndItsPartsArePinned(@TempDir Path tmp) throws Exception {
    String why = TestJars.partsUnavailable();
    if (why != null) {
      System.out.println("SKIPPED " + getClass().getSimpleName() + ": " + why);
    }
    assumeTrue(why == null, why);
    Path jar = TestJars.echo(tmp.resolve("app"));
    Path lock = tmp.resolve(PartsLock.FILE_NAME);
    List<String> log = new ArrayList<>();
    GuestImageBuilder builder = new GuestImageBuilder(log::add);
    GuestImage a = builder.build(request(jar, tmp.resolve("a"), lock));
    GuestImage b = builder.build(request(jar, tmp.resolve("b"), lock));
    assertThat(Files.readAllBytes(b.initrd())).isEqualTo(Files.readAllBytes(a.initrd()));
    assertThat(Files.readAllBytes(b.kernel())).isEqualTo(Files.readAllBytes(a.kernel()));
    assertThat(a.jreModules()).containsExactly("java.base");
    assertThat(a.modules()).containsAtLeast("xen_netfront", "virtio_net", "virtio_blk");
    assertThat(a.libraries()).containsAtLeast("libc.so.6", "libz.so.1", "ld-linux-x86-64.so.2");

    String pins = Files.readString(lock);
    for (String p : List.of("linux-image-", "busybox-static amd64", "libc6 amd64", "openjdk-17-jdk-headless amd64",
        "alias linux-image-cloud-amd64 amd64")) {
      assertThat(pins).contains(p);
    }
    // nothing changed: the next build writes nothing
    log.clear();
    builder.build(request(jar, tmp.resolve("a"), lock));
    assertThat(log).containsExactly("guest image echo.vmlinuz + echo.initrd is up to date");
  }

  private static GuestImageRequest request(Path jar, Path out, Path lock) {
    return new GuestImageRequest("echo", GuestArch.X86_64, jar, out, List.of("eth0"), List.of(), PartSources.of(lock));
  }
}
