package org.mirage4j.drivers.block;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.runtime.GuestResources;

class XenBlockTest {

  @TempDir Path tmp;

  @AfterEach
  void uninstall() {
    GuestResources.install(GuestResources.builder().build());
  }

  @Test
  void opensTheGuestDeviceMappedToTheHostFile() throws IOException {
    Path device = tmp.resolve("xvdb");
    Files.write(device, new byte[8 * 512]);
    GuestResources.install(GuestResources.builder().disk("disk.img", device.toString()).build());
    try (XenBlock block = new XenBlock("disk.img")) {
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
  void failsClearlyWithoutAMapping() {
    XenBlock block = new XenBlock("disk.img", () -> GuestResources.builder().build());
    IOException e = assertThrows(IOException.class, block::connect);
    assertThat(e).hasMessageThat().contains("disk.img");
  }

  @Test
  void neverCreatesAMissingDevice() {
    Path device = tmp.resolve("xvdc");
    XenBlock block =
        new XenBlock("d.img", () -> GuestResources.builder().disk("d.img", device.toString()).build());
    IOException e = assertThrows(IOException.class, block::connect);
    assertThat(e).hasMessageThat().contains("does not exist");
    assertThat(Files.exists(device)).isFalse();
  }
}
