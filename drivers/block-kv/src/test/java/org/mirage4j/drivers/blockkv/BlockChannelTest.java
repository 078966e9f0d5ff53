package org.mirage4j.drivers.blockkv;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockChannelTest {

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String read(BlockChannel ch, long position, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    int got = ch.read(b, position);
    return got < 0 ? null : new String(b.array(), 0, got, StandardCharsets.UTF_8);
  }

  @Test
  void aZeroedDeviceIsAnEmptyFileThatGrowsWithWritesAtAnyOffset() throws IOException {
    MemoryBlock disk = new MemoryBlock(1024);
    BlockChannel ch = new BlockChannel(disk, "disk");
    assertThat(ch.size()).isEqualTo(0);
    // the header's 4 KiB and a journal of a quarter of the disk come off
    assertThat(ch.capacity()).isEqualTo(1024 * 512 - 4096 - 1024 * 512 / 4);
    assertThat(read(ch, 0, 10)).isNull();
    ch.write(bytes("hello"), 1000); // unaligned, inside one sector
    ch.write(bytes("x".repeat(700)), 1020); // unaligned, across three sectors
    assertThat(ch.size()).isEqualTo(1720);
    assertThat(read(ch, 1000, 5)).isEqualTo("hello");
    assertThat(read(ch, 1003, 3)).isEqualTo("lo\0");
    assertThat(read(ch, 1019, 3)).isEqualTo("\0xx");
    assertThat(read(ch, 1715, 100)).isEqualTo("xxxxx"); // stops at the end of the file
    ByteBuffer aligned = ByteBuffer.allocate(4096);
    Arrays.fill(aligned.array(), (byte) 7);
    ch.write(aligned, 4096);
    assertThat(ch.size()).isEqualTo(8192);
    assertThat(read(ch, 1000, 5)).isEqualTo("hello"); // neighbours untouched
  }

  @Test
  void theLengthSurvivesOnlyWhatWasForced() throws IOException {
    MemoryBlock disk = new MemoryBlock(1024);
    BlockChannel ch = new BlockChannel(disk, "disk");
    ch.write(bytes("committed"), 0);
    ch.force(true);
    ch.write(bytes(" and more"), 9);
    assertThat(ch.size()).isEqualTo(18);
    // without a force the device still says 9 bytes: a crash now loses the unforced tail
    BlockChannel reopened = new BlockChannel(new MemoryBlock(disk.image()), "disk");
    assertThat(reopened.size()).isEqualTo(9);
    assertThat(read(reopened, 0, 100)).isEqualTo("committed");
    ch.force(true);
    assertThat(new BlockChannel(new MemoryBlock(disk.image()), "disk").size()).isEqualTo(18);
    ch.close();
    assertThat(new BlockChannel(new MemoryBlock(disk.image()), "disk").size()).isEqualTo(18);
  }

  @Test
  void aTruncationIsCommittedWithTheNextForce() throws IOException {
    MemoryBlock disk = new MemoryBlock(1024);
    BlockChannel ch = new BlockChannel(disk, "disk");
    ch.write(ByteBuffer.allocate(10_000), 0);
    ch.force(true);
    ch.truncate(4096);
    assertThat(ch.size()).isEqualTo(4096);
    assertThat(new BlockChannel(new MemoryBlock(disk.image()), "disk").size()).isEqualTo(10_000);
    ch.force(true);
    assertThat(new BlockChannel(new MemoryBlock(disk.image()), "disk").size()).isEqualTo(4096);
    ch.truncate(8192); // growing by truncate does nothing, as for a file
    assertThat(ch.size()).isEqualTo(4096);
  }

  @Test
  void aPowerLossLeavesTheFileAsOneForceOrTheNextLeftIt() throws IOException {
    Random random = new Random(42);
    int completed = 0;
    for (int round = 0; round < 300; round++) {
      MemoryBlock disk = new MemoryBlock(1024);
      BlockChannel ch = new BlockChannel(disk, "disk");
      byte[] before = new byte[0];
      byte[] inFlight = null;
      disk.losePowerAtWrite(1 + random.nextInt(40));
      try {
        for (int i = 0; ; i++) {
          // overwrite a random part and append, as MVStore does when it reuses space
          byte[] next = Arrays.copyOf(before, before.length + 1 + random.nextInt(3000));
          int from = random.nextInt(next.length);
          Arrays.fill(next, from, next.length, (byte) (i + 1));
          inFlight = next;
          ch.write(ByteBuffer.wrap(next, from, next.length - from), from);
          ch.force(true);
          before = next;
        }
      } catch (IOException e) {
        assertThat(e).hasMessageThat().contains("power lost");
      }
      BlockChannel after = new BlockChannel(new MemoryBlock(disk.afterPowerLoss(random)), "disk");
      ByteBuffer all = ByteBuffer.allocate((int) after.size());
      after.read(all, 0);
      if (Arrays.equals(all.array(), inFlight)) {
        completed++; // its journal record was whole: opening the device finished the commit
      } else {
        assertWithMessage("round %s", round).that(all.array()).isEqualTo(before);
      }
    }
    assertThat(completed).isGreaterThan(0); // both outcomes happen, or this test tests less
  }

  @Test
  void aTornNewestHeaderFallsBackToTheOneBefore() throws IOException {
    MemoryBlock disk = new MemoryBlock(1024);
    BlockChannel ch = new BlockChannel(disk, "disk");
    ch.write(bytes("first"), 0);
    ch.force(true); // sequence 1, slot 1
    ch.write(bytes(" second"), 5);
    ch.force(true); // sequence 2, slot 0
    byte[] image = disk.image();
    image[20] ^= 1; // slot 0's length, so its CRC no longer holds
    // slot 1 says 5 bytes, but the journal still holds the whole commit that came after it
    assertThat(new BlockChannel(new MemoryBlock(image), "disk").size()).isEqualTo(12);
    image[4096 + 512 + 3] ^= 1; // and now the journal's record fails its CRC too
    assertThat(new BlockChannel(new MemoryBlock(image), "disk").size()).isEqualTo(5);
  }

  @Test
  void aDiskOfOtherDataIsNeverTakenForAnEmptyStore() {
    byte[] image = new byte[1024 * 512];
    image[3] = 'X'; // say, a partition table or a file system
    IOException e = assertThrows(IOException.class, () -> new BlockChannel(new MemoryBlock(image), "disk"));
    assertThat(e).hasMessageThat().contains("disk holds data that is not a mirage4j key-value store");
    assertThat(e).hasMessageThat().contains("new or zeroed");
  }

  @Test
  void writesBeyondTheDeviceSayItIsFull() throws IOException {
    BlockChannel ch = new BlockChannel(new MemoryBlock(1024), "disk");
    IOException e = assertThrows(IOException.class, () -> ch.write(ByteBuffer.allocate(8192), ch.capacity() - 100));
    assertThat(e).hasMessageThat().contains("disk is full");
    assertThrows(IOException.class, () -> new BlockChannel(new MemoryBlock(16), "tiny"));
  }
}
