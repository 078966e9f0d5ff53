package org.mirage4j.drivers.block;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.api.Block;

class FileBlockTest {

  @TempDir Path tmp;

  static ByteBuffer sectors(int count, int seed) {
    byte[] b = new byte[count * 512];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return ByteBuffer.wrap(b);
  }

  @Test
  void createsAMissingFileWithTheConfiguredSize() throws IOException {
    Path file = tmp.resolve("sub/disk.img");
    try (FileBlock block = new FileBlock(file.toString(), 64 * 1024)) {
      block.connect();
      assertThat(block.info()).isEqualTo(new Block.Info(512, 128, true));
      assertThat(Files.size(file)).isEqualTo(64 * 1024);
      ByteBuffer fresh = ByteBuffer.allocate(1024);
      block.read(127 - 1, fresh);
      assertThat(fresh.array()).isEqualTo(new byte[1024]);
    }
  }

  @Test
  void anExistingFileKeepsItsSize() throws IOException {
    Path file = tmp.resolve("disk.img");
    Files.write(file, new byte[4 * 512]);
    try (FileBlock block = new FileBlock(file.toString(), 1024 * 1024)) {
      block.connect();
      assertThat(block.info().sectors()).isEqualTo(4);
    }
    assertThat(Files.size(file)).isEqualTo(4 * 512);
  }

  @Test
  void writesReadBackAndPersistAcrossReopen() throws IOException {
    Path file = tmp.resolve("disk.img");
    ByteBuffer data = sectors(3, 7);
    try (FileBlock block = new FileBlock(file.toString(), 16 * 512)) {
      block.connect();
      block.write(5, data.duplicate());
      block.flush();
      ByteBuffer back = ByteBuffer.allocateDirect(3 * 512);
      block.read(5, back);
      back.flip();
      byte[] got = new byte[back.remaining()];
      back.get(got);
      assertThat(got).isEqualTo(data.array());
    }
    byte[] onDisk = Files.readAllBytes(file);
    assertThat(Arrays.copyOfRange(onDisk, 5 * 512, 8 * 512)).isEqualTo(data.array());
    try (FileBlock again = new FileBlock(file.toString(), 16 * 512)) {
      again.connect();
      ByteBuffer last = ByteBuffer.allocate(512);
      again.read(7, last);
      assertThat(last.array()).isEqualTo(Arrays.copyOfRange(data.array(), 1024, 1536));
    }
  }

  @Test
  void requestsPastTheEndAreRefused() throws IOException {
    try (FileBlock block = new FileBlock(tmp.resolve("d").toString(), 8 * 512)) {
      block.connect();
      block.read(7, ByteBuffer.allocate(512)); // the last sector is fine
      block.read(8, ByteBuffer.allocate(0)); // an empty request at the end is fine
      assertThrows(IndexOutOfBoundsException.class, () -> block.read(8, ByteBuffer.allocate(512)));
      assertThrows(IndexOutOfBoundsException.class, () -> block.read(7, ByteBuffer.allocate(1024)));
      assertThrows(IndexOutOfBoundsException.class, () -> block.read(-1, ByteBuffer.allocate(512)));
      assertThrows(
          IndexOutOfBoundsException.class, () -> block.read(Long.MAX_VALUE, ByteBuffer.allocate(512)));
      assertThrows(IndexOutOfBoundsException.class, () -> block.write(8, sectors(1, 0)));
      assertThrows(IndexOutOfBoundsException.class, () -> block.write(6, sectors(3, 0)));
    }
    assertThat(Files.size(tmp.resolve("d"))).isEqualTo(8 * 512);
  }

  @Test
  void partialSectorsAreRefused() throws IOException {
    try (FileBlock block = new FileBlock(tmp.resolve("d").toString(), 8 * 512)) {
      block.connect();
      assertThrows(IllegalArgumentException.class, () -> block.read(0, ByteBuffer.allocate(100)));
      assertThrows(IllegalArgumentException.class, () -> block.write(0, ByteBuffer.allocate(513)));
    }
  }

  @Test
  void badSizesFailAtConnectWithAClearMessage() throws IOException {
    for (long size : new long[] {0, -512, 1000}) {
      FileBlock block = new FileBlock(tmp.resolve("bad" + size).toString(), size);
      IOException e = assertThrows(IOException.class, block::connect);
      assertThat(e).hasMessageThat().contains("multiple of 512");
      block.close(); // safe after a failed connect
      assertThat(Files.exists(tmp.resolve("bad" + size))).isFalse();
    }
    Path odd = tmp.resolve("odd.img");
    Files.write(odd, new byte[700]);
    IOException e = assertThrows(IOException.class, () -> new FileBlock(odd.toString(), 512).connect());
    assertThat(e).hasMessageThat().contains("700");
  }

  @Test
  void aFileThatCannotBeWrittenIsReadOnly() throws IOException {
    Path file = tmp.resolve("ro.img");
    Files.write(file, new byte[1024]);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
    Assumptions.assumeFalse(Files.isWritable(file), "running as root: permissions do not apply");
    try (FileBlock block = new FileBlock(file.toString(), 1024)) {
      block.connect();
      assertThat(block.info().readWrite()).isFalse();
      block.read(0, ByteBuffer.allocate(512));
      assertThrows(IOException.class, () -> block.write(0, ByteBuffer.allocate(512)));
    }
  }

  @Test
  void useBeforeConnectOrAfterCloseFails() throws IOException {
    FileBlock block = new FileBlock(tmp.resolve("x").toString(), 512);
    assertThrows(IllegalStateException.class, block::info);
    block.connect();
    block.close();
    assertThrows(IOException.class, () -> block.read(0, ByteBuffer.allocate(512)));
    block.close(); // idempotent
  }
}
