package org.mirage4j.samples.block;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.mirage4j.api.Block;
import org.mirage4j.api.Console;
import org.mirage4j.api.Job;

/** Writes a pattern to every tenth sector, reads it back and verifies it. */
public final class BlockCheck implements Job {
  private final Console console;
  private final Block disk;

  /** The console and the disk. */
  public BlockCheck(Console console, Block disk) {
    this.console = console;
    this.disk = disk;
  }

  @Override
  public void start() throws Exception {
    Block.Info info = disk.info();
    console.log("sectors: " + info.sectors() + " of " + info.sectorSize() + " bytes, read-write: " + info.readWrite());
    int checked = 0;
    for (long sector = 0; sector < info.sectors(); sector += 10) {
      byte[] pattern = new byte[info.sectorSize()];
      Arrays.fill(pattern, (byte) (sector % 251));
      disk.write(sector, ByteBuffer.wrap(pattern));
      checked++;
    }
    disk.flush();
    for (long sector = 0; sector < info.sectors(); sector += 10) {
      ByteBuffer back = ByteBuffer.allocate(info.sectorSize());
      disk.read(sector, back);
      for (byte b : back.array()) {
        if (b != (byte) (sector % 251)) {
          throw new IllegalStateException("sector " + sector + " does not read back what was written");
        }
      }
    }
    console.log("verified " + checked + " sectors");
  }
}
