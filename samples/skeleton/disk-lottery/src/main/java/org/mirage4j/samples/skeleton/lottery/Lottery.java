package org.mirage4j.samples.skeleton.lottery;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.mirage4j.api.Block;
import org.mirage4j.api.ExitStatus;
import org.mirage4j.api.Job;
import org.mirage4j.api.RandomSource;

/**
 * Draws a number and compares it with the high score of a slot (one sector of the disk): a state is
 * {@code "LOTO"}, the high score as an unsigned 32-bit big-endian number, and the CRC-32 of those 8
 * bytes. Exits 5 when the slot or the disk does not fit, 6 when the disk fails or holds no state.
 */
public final class Lottery implements Job {

  /** Bytes of a state: magic, high score, checksum. */
  static final int LENGTH = 12;

  private static final byte[] MAGIC = "LOTO".getBytes(StandardCharsets.US_ASCII);
  private static final System.Logger LOG = System.getLogger("application");

  private final Block disk;
  private final RandomSource random;
  private final long slot;
  private final boolean reset;
  private final boolean resetAll;

  /** The wiring passes the disk, the random source and the three options. */
  public Lottery(Block disk, RandomSource random, long slot, boolean reset, boolean resetAll) {
    this.disk = disk;
    this.random = random;
    this.slot = slot;
    this.reset = reset;
    this.resetAll = resetAll;
  }

  @Override
  public void start() throws IOException {
    Block.Info info = disk.info();
    if (info.sectorSize() < LENGTH) {
      LOG.log(Level.ERROR, "Sector size " + info.sectorSize() + " is too short for storing lottery data!");
      throw ExitStatus.of(5);
    }
    if (slot < 0 || slot >= info.sectors()) {
      LOG.log(Level.ERROR, "Invalid sector " + slot);
      throw ExitStatus.of(5);
    }
    if (resetAll) {
      for (long s = 0; s < info.sectors(); s++) {
        write(info, s, 0);
      }
      LOG.log(Level.INFO, "All " + info.sectors() + " game slots reset.");
      return;
    }
    if (reset) {
      write(info, slot, 0);
      LOG.log(Level.INFO, "Reset game slot " + slot + ".");
      return;
    }
    long hiscore = read(info, slot);
    long draw = random.nextLong() & 0xffff_ffffL;
    if (draw == hiscore) {
      LOG.log(Level.INFO, "TIE! You tied with the high score " + hiscore);
    } else if (draw > hiscore) {
      LOG.log(Level.INFO, "YOU WON! You beat the old high score " + hiscore + " with " + draw + "!");
      hiscore = draw;
    } else {
      LOG.log(Level.INFO, "YOU LOST! With " + draw + " you didn't beat the high score " + hiscore);
    }
    LOG.log(Level.INFO, "Saving new game state...");
    write(info, slot, hiscore);
    LOG.log(Level.INFO, "Done!");
    LOG.log(Level.INFO, "Thank you for playing! Exiting...");
  }

  private long read(Block.Info info, long sector) {
    ByteBuffer buf = ByteBuffer.allocate(info.sectorSize());
    try {
      disk.read(sector, buf);
    } catch (IOException e) {
      LOG.log(Level.ERROR, "Error reading: " + e.getMessage());
      throw ExitStatus.of(6);
    }
    byte[] magic = new byte[MAGIC.length];
    buf.get(0, magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      LOG.log(Level.ERROR, "Error reading state: bad magic; is this lottery data?");
      throw ExitStatus.of(6);
    }
    if ((buf.getInt(8) & 0xffff_ffffL) != crc(buf)) {
      LOG.log(Level.ERROR, "Error reading state: bad checksum; possible data corruption");
      throw ExitStatus.of(6);
    }
    return buf.getInt(4) & 0xffff_ffffL;
  }

  private void write(Block.Info info, long sector, long hiscore) {
    ByteBuffer buf = ByteBuffer.allocate(info.sectorSize());
    buf.put(0, MAGIC).putInt(4, (int) hiscore);
    buf.putInt(8, (int) crc(buf));
    try {
      disk.write(sector, buf);
      disk.flush();
    } catch (IOException e) {
      LOG.log(Level.ERROR, "Error writing new state: " + e.getMessage());
      throw ExitStatus.of(6);
    }
  }

  /** The CRC-32 of the magic and the high score. */
  private static long crc(ByteBuffer state) {
    CRC32 crc = new CRC32();
    crc.update(state.slice(0, 8));
    return crc.getValue();
  }
}
