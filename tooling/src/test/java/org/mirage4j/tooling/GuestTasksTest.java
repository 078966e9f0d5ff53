package org.mirage4j.tooling;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestTasksTest {

  @Test
  void switchingTargetRemovesTheOtherTargetsImagesAndNothingElse(@TempDir Path mirage) throws Exception {
    Path xen = Files.createDirectories(mirage.resolve("xen"));
    Files.writeString(xen.resolve("web.image.txt"), "# manifest\nkernel web.vmlinuz 3\ninitrd web.initrd 3\nstamp x\n");
    Files.writeString(xen.resolve("web.vmlinuz"), "k");
    Files.writeString(xen.resolve("web.initrd"), "i");
    Path mine = Files.writeString(xen.resolve("notes.txt"), "the user's own file");
    Path arm = Files.createDirectories(mirage.resolve("arm"));
    Files.writeString(arm.resolve("web.image.txt"), "kernel web.vmlinuz 1\ninitrd web.initrd 1\n");
    Files.writeString(arm.resolve("web.vmlinuz"), "k");
    Path unix = Files.createDirectories(mirage.resolve("unix"));
    Files.writeString(unix.resolve("web"), "#!/bin/sh");

    assertThat(GuestTasks.removeOtherTargetsImages(mirage, "arm"))
        .containsExactly(xen.resolve("web.vmlinuz"), xen.resolve("web.initrd"), xen.resolve("web.image.txt"));
    assertThat(Files.readString(mine)).isEqualTo("the user's own file");
    assertThat(Files.exists(arm.resolve("web.vmlinuz"))).isTrue(); // the target's own image stays
    assertThat(Files.exists(unix.resolve("web"))).isTrue(); // no manifest: not the image builder's

    Files.delete(mine);
    Files.writeString(xen.resolve("web.image.txt"), "kernel web.vmlinuz 3\n");
    GuestTasks.removeOtherTargetsImages(mirage, "unix");
    assertThat(Files.exists(xen)).isFalse(); // emptied: gone
    assertThat(Files.exists(arm)).isFalse();
    assertThat(Files.exists(unix.resolve("web"))).isTrue();
  }
}
