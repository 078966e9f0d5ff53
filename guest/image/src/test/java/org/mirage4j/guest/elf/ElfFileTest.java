package org.mirage4j.guest.elf;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ElfFileTest {

  @Test
  void readsAModulesInfo() throws IOException {
    ElfFile f = ElfFile.parse(TestElf.module("virtio_net", "virtio,net_failover"));
    assertThat(f.modinfo()).containsAtLeast("name", "virtio_net", "depends", "virtio,net_failover", "license", "GPL");
    assertThat(f.needed()).isEmpty();
    assertThat(f.interpreter()).isEmpty();
  }

  @Test
  void readsWhatAnExecutableNeeds() throws IOException {
    Path java = Path.of(ProcessHandle.current().info().command().orElse("/nonexistent"));
    assumeTrue(Files.isRegularFile(java) && ElfFile.isElf(java), "the JVM's launcher is not an ELF file here: " + java);
    ElfFile f = ElfFile.read(java);
    assertThat(f.needed()).contains("libc.so.6");
    assertThat(f.interpreter().orElseThrow()).contains("ld-linux");
  }

  @Test
  void truncatedAndForeignFilesAreErrorsNotCrashes() {
    byte[] module = TestElf.module("x", "");
    byte[] cut = java.util.Arrays.copyOf(module, 100);
    assertThrows(IOException.class, () -> ElfFile.parse(cut).modinfo());
    assertThrows(IOException.class, () -> ElfFile.parse("#!/bin/sh\necho not elf\n".repeat(4).getBytes()));
  }
}
