package org.mirage4j.drivers.blockkv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mirage4j.api.Block;

/**
 * A block device in memory that can lose power: writes since the last flush are pending, and a
 * power loss keeps any subset of them (each sector kept or lost on its own, as a disk's write
 * cache may), then refuses all further I/O. What the device kept is {@link #afterPowerLoss}.
 */
final class MemoryBlock implements Block {

  static final int SECTOR = 512;

  private final byte[] durable;
  private final List<long[]> pendingSectors = new ArrayList<>(); // {sector}
  private final List<byte[]> pendingData = new ArrayList<>();
  private final byte[] current;
  private int writesBeforePowerLoss = -1;
  private boolean dead;
  int flushes;

  MemoryBlock(int sectors) {
    this(new byte[sectors * SECTOR]);
  }

  MemoryBlock(byte[] image) {
    this.durable = image.clone();
    this.current = image.clone();
  }

  /** Loses power at the {@code n}th write from now (counting from 1); -1 never. */
  void losePowerAtWrite(int n) {
    writesBeforePowerLoss = n;
  }

  boolean dead() {
    return dead;
  }

  /** The device's contents after power came back: what was flushed, and some of what was not. */
  byte[] afterPowerLoss(Random random) {
    byte[] image = durable.clone();
    for (int i = 0; i < pendingSectors.size(); i++) {
      if (random.nextBoolean()) {
        System.arraycopy(pendingData.get(i), 0, image, (int) pendingSectors.get(i)[0] * SECTOR, SECTOR);
      }
    }
    return image;
  }

  /** The device's contents as a reader sees them now. */
  byte[] image() {
    return current.clone();
  }

  @Override
  public Info info() {
    return new Info(SECTOR, current.length / SECTOR, true);
  }

  private void alive() throws IOException {
    if (dead) {
      throw new IOException("power lost");
    }
  }

  @Override
  public void read(long sector, ByteBuffer into) throws IOException {
    alive();
    into.put(current, (int) sector * SECTOR, into.remaining());
  }

  @Override
  public void write(long sector, ByteBuffer data) throws IOException {
    alive();
    if (writesBeforePowerLoss > 0 && --writesBeforePowerLoss == 0) {
      dead = true;
      throw new IOException("power lost");
    }
    int n = data.remaining();
    if (n % SECTOR != 0) {
      throw new IllegalArgumentException("not whole sectors: " + n);
    }
    for (int i = 0; i < n / SECTOR; i++) {
      byte[] s = new byte[SECTOR];
      data.get(s);
      System.arraycopy(s, 0, current, (int) (sector + i) * SECTOR, SECTOR);
      pendingSectors.add(new long[] {sector + i});
      pendingData.add(s);
    }
  }

  @Override
  public void flush() throws IOException {
    alive();
    System.arraycopy(current, 0, durable, 0, current.length);
    pendingSectors.clear();
    pendingData.clear();
    flushes++;
  }

  @Override
  public void connect() {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "MemoryBlock";
  }
}
