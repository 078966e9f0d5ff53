package org.mirage4j.guest.image;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitScriptTest {

  @Test
  void namesTheGuestsJarNicsAndDisksAndRunsTheUnikernelNotAsPid1() throws Exception {
    GuestImageRequest r = new GuestImageRequest("block", GuestArch.ARMV7, Path.of("block.jar"), Path.of("out"),
        List.of("eth0"), List.of("xvdb", "xvdc"), PartSources.of(Path.of("lock")));
    String init = GuestImageBuilder.initScript(r, "block.jar");
    assertThat(init).startsWith("#!/bin/sh\n");
    assertThat(init).doesNotContainMatch("@[A-Z_]+@");
    assertThat(init).contains("for nic in eth0; do");
    assertThat(init).contains("for disk in xvdb xvdc; do");
    assertThat(init).contains("/jre/bin/java " + GuestImageBuilder.JAVA_OPTIONS + " -jar /app/block.jar \"$@\" &");
    assertThat(init).doesNotContain("exec /jre");
    assertThat(init).contains("echo \"mirage4j-guest: block exited with status $status\"");
    assertThat(init).contains("poweroff -f");
    // a reboot request (busybox reboot: SIGTERM to PID 1; Ctrl-Alt-Del, Xen's xl reboot: SIGINT)
    // reboots the guest once the unikernel has stopped
    assertThat(init).contains("echo 0 > /proc/sys/kernel/ctrl-alt-del");
    assertThat(init).contains("trap 'then=reboot; kill -TERM $pid 2>/dev/null' TERM INT");
    assertThat(init).contains("reboot -f");
  }
}
