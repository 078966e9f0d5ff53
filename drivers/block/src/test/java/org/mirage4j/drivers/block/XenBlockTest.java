package org.mirage4j.drivers.block;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XenBlockTest {

  @TempDir Path tmp;

  @Test
  void opensTheGuestDeviceItIsGiven() throws IOException {
    Path device = tmp.resolve("xvdb");
    Files.write(device, new byte[8 * 512]);
    try (XenBlock block = new XenBlock("disk.img", device.toString())) {
      block.connect();
      assertThat(block.info().sectors()).isEqualTo(8);
      ByteBuffer data = ByteBuffer.allocate(512);
      data.put(0, (byte) 42);
      block.write(3, data);
      block.flush();
      assertThrows(IndexOutOfBoundsException.class, () -> block.read(8, ByteBuffer.allocate(512)));
    }
    assertThat(Files.readAllBytes(device)[3 * 512]).isEqualTo((byte) 42);
  }

  @Test
  void neverCreatesAMissingDevice() {
    Path device = tmp.resolve("xvdc");
    XenBlock block = new XenBlock("d.img", device.toString());
    IOException e = assertThrows(IOException.class, block::connect);
    assertThat(e).hasMessageThat().contains("does not exist");
    assertThat(e).hasMessageThat().contains("d.img");
    assertThat(Files.exists(device)).isFalse();
  }
}
