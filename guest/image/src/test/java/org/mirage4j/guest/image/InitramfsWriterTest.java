package org.mirage4j.guest.image;

import static com.google.common.truth.Truth.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitramfsWriterTest {

  private static ImageTree tree(Path host) throws Exception {
    Path data = Files.writeString(host.resolve("data.bin"), "payload");
    // built in a different order than it is archived
    return new ImageTree()
        .text("init", "#!/bin/sh\n", 0755)
        .link("bin/sh", "busybox")
        .file("bin/busybox", data, 0755)
        .dir("tmp", 01777)
        .text("etc/hosts", "127.0.0.1 localhost\n", 0644);
  }

  @Test
  void theSameTreeGivesTheSameBytesInPathOrderOwnedByRootAtTimeZero(@TempDir Path tmp) throws Exception {
    Path a = tmp.resolve("a.gz");
    Path b = tmp.resolve("b.gz");
    InitramfsWriter.write(tree(tmp), a, InitramfsWriter.Compression.GZIP);
    Files.setLastModifiedTime(tmp.resolve("data.bin"), java.nio.file.attribute.FileTime.fromMillis(12345));
    InitramfsWriter.write(tree(tmp), b, InitramfsWriter.Compression.GZIP);
    assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));

    List<String> names = new ArrayList<>();
    try (InputStream in = new GZIPInputStream(Files.newInputStream(a));
        CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
      CpioArchiveEntry e;
      while ((e = cpio.getNextEntry()) != null) {
        names.add(e.getName());
        assertThat(e.getUID()).isEqualTo(0);
        assertThat(e.getTime()).isEqualTo(0);
        if (e.getName().equals("bin/sh")) {
          assertThat(e.isSymbolicLink()).isTrue();
          assertThat(new String(cpio.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("busybox");
        } else if (e.getName().equals("bin/busybox")) {
          assertThat(e.getMode() & 0777).isEqualTo(0755);
          assertThat(new String(cpio.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("payload");
        } else if (e.getName().equals("tmp")) {
          assertThat(e.isDirectory()).isTrue();
          assertThat(e.getMode() & 07777).isEqualTo(01777);
        }
      }
    }
    assertThat(names).containsExactly("bin", "bin/busybox", "bin/sh", "etc", "etc/hosts", "init", "tmp").inOrder();
  }

  @Test
  void xzIsReadableToo(@TempDir Path tmp) throws Exception {
    Path x = tmp.resolve("a.xz");
    InitramfsWriter.write(tree(tmp), x, InitramfsWriter.Compression.XZ);
    try (InputStream in = new XZCompressorInputStream(Files.newInputStream(x));
        CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
      assertThat(cpio.getNextEntry().getName()).isEqualTo("bin");
    }
  }

  @Test
  void pathsOutsideTheImageAreRefused() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ImageTree().text("../etc/x", "", 0644));
  }
}
