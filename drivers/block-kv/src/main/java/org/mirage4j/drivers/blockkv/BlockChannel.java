package org.mirage4j.drivers.blockkv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileLock;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.h2.store.fs.FileBaseDefault;
import org.mirage4j.api.Block;

/**
 * A block device seen as one growable file whose changes between two {@link #force}s are atomic:
 * the file H2's MVStore writes to.
 *
 * <p>The device holds, in order: a header of two slots (one sector each), a journal, and the
 * file's bytes. A slot holds a magic, a sequence number, the file's length and a CRC-32C; the
 * newest valid slot says what the file is. Writes are kept in memory until {@link #force}, which
 * commits them in three steps, flushing the device after each: it writes them all to the journal
 * with a CRC over the whole record, then writes them in place, then writes the next slot. A crash
 * leaves the file as it was at one {@code force} or the next, never between: a journal record
 * that is incomplete fails its CRC and is ignored; a complete one whose slot was not written yet
 * is written in place again when the device is opened. This matters because MVStore reuses the
 * space of chunks it freed within the same commit, before it writes the store header that stops
 * pointing at them; a device that kept only some of those writes could lead its recovery back to
 * an old state (the power-loss test in {@code BlockKvRwCrashTest} found exactly that).
 *
 * <p>A device whose first sector is all zeros is taken to be empty. A device holding anything else
 * that has no valid slot is refused, so a disk of other data is never formatted by mistake.
 */
final class BlockChannel extends FileBaseDefault {

  /** A slot's magic: "M4JKVRW" and a format version. */
  static final long MAGIC = 0x4d344a4b56525701L;

  /** A journal record's magic: "M4JJRNL" and a format version. */
  static final long JOURNAL_MAGIC = 0x4d344a4a524e4c01L;

  /** Bytes of a slot that carry data: magic, sequence, length, CRC. */
  private static final int SLOT_BYTES = 8 + 8 + 8 + 4;

  /** Bytes of a journal record's first sector: magic, sequence, length, entries, CRC. */
  private static final int RECORD_HEAD = 8 + 8 + 8 + 4 + 4;

  private static final int ALIGN = 4096;

  /** Sectors written in place by one call, at most. */
  private static final int MAX_RUN = 256;

  private final Block block;
  private final String name;
  private final int sectorSize;
  private final long journalSector;
  private final long journalSectors;
  private final long dataSector;
  private final long capacity;
  /** Sectors written since the last force, by device sector: what reads see, not yet on disk. */
  private final TreeMap<Long, byte[]> pending = new TreeMap<>();
  private long length;
  private long durableLength;
  private long sequence;
  private boolean closed;
  /** A write or commit failed: what was pending is dropped, and closing commits nothing. */
  private boolean failed;

  /**
   * Opens the file on {@code block}: reads its header and finishes a commit a crash interrupted,
   * or finds the device empty.
   *
   * @param name how errors name the device
   * @throws IOException when the device cannot be read, is read-only, is too small, or holds
   *     something that is not a store of this format
   */
  BlockChannel(Block block, String name) throws IOException {
    this.block = block;
    this.name = name;
    Block.Info info = block.info();
    this.sectorSize = info.sectorSize();
    if (sectorSize < RECORD_HEAD || ALIGN % sectorSize != 0) {
      throw new IOException(name + ": sectors of " + sectorSize + " bytes are not supported");
    }
    if (!info.readWrite()) {
      throw new IOException(name + " is read-only: a read-write key-value store needs a writable disk");
    }
    long deviceBytes = info.sectors() * sectorSize;
    // a quarter of the device for the journal (at most 64 MiB), in whole 4 KiB blocks
    long journalBytes = Math.min(64L << 20, deviceBytes / 4) / ALIGN * ALIGN;
    long headerBytes = ALIGN;
    long minimum = 256 * 1024;
    if (deviceBytes < minimum) {
      throw new IOException(name + ": " + deviceBytes + " bytes is too small for a key-value store"
          + " (it needs at least " + minimum + ")");
    }
    this.journalSector = headerBytes / sectorSize;
    this.journalSectors = journalBytes / sectorSize;
    this.dataSector = (headerBytes + journalBytes) / sectorSize;
    this.capacity = (deviceBytes - headerBytes - journalBytes) / ALIGN * ALIGN;
    readHeader();
    replayJournal();
  }

  private void readHeader() throws IOException {
    ByteBuffer first = readSectors(0, 1);
    ByteBuffer second = readSectors(1, 1);
    long[] a = decodeSlot(first);
    long[] b = decodeSlot(second);
    if (a == null && b == null) {
      if (!allZero(first)) {
        throw new IOException(name + " holds data that is not a mirage4j key-value store (no valid"
            + " header in its first sectors); give the store a disk of its own, new or zeroed");
      }
      length = 0;
      sequence = 0;
    } else {
      long[] newest = a == null ? b : b == null ? a : a[0] >= b[0] ? a : b;
      sequence = newest[0];
      length = checkLength(newest[1]);
    }
    durableLength = length;
  }

  private long checkLength(long l) throws IOException {
    if (l < 0 || l > capacity) {
      throw new IOException(name + ": its header gives a length of " + l
          + " bytes, more than the device's " + capacity);
    }
    return l;
  }

  /** Writes in place a journal record that was complete but whose slot a crash did not write. */
  private void replayJournal() throws IOException {
    ByteBuffer head = readSectors(journalSector, 1).order(ByteOrder.BIG_ENDIAN);
    if (head.getLong(0) != JOURNAL_MAGIC || head.getLong(8) != sequence + 1) {
      return; // no record, or one already applied
    }
    long recordLength = head.getLong(16);
    int entries = head.getInt(24);
    long tableSectors = tableSectors(entries);
    if (entries < 0 || recordLength < 0 || recordLength > capacity
        || 1 + tableSectors + entries > journalSectors) {
      return; // torn: not a record this channel wrote
    }
    ByteBuffer body = readSectors(journalSector + 1, (int) (tableSectors + entries));
    CRC32C crc = new CRC32C();
    crc.update(head.duplicate().position(0).limit(RECORD_HEAD - 4));
    crc.update(body.duplicate());
    if ((int) crc.getValue() != head.getInt(RECORD_HEAD - 4)) {
      return; // incomplete: the commit it carried never happened
    }
    ByteBuffer table = body.duplicate().order(ByteOrder.BIG_ENDIAN);
    int dataStart = (int) (tableSectors * sectorSize);
    for (int i = 0; i < entries; i++) {
      long sector = table.getLong(i * 8);
      if (sector < dataSector || sector >= dataSector + capacity / sectorSize) {
        throw new IOException(name + ": its journal names sector " + sector
            + ", outside the store");
      }
      block.write(sector, body.duplicate().position(dataStart + i * sectorSize).limit(dataStart + (i + 1) * sectorSize));
    }
    block.flush();
    length = recordLength;
    writeSlot();
  }

  private long tableSectors(int entries) {
    return ((long) entries * 8 + sectorSize - 1) / sectorSize;
  }

  private ByteBuffer readSectors(long sector, int count) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(count * sectorSize);
    block.read(sector, buffer);
    return buffer.flip();
  }

  /** A slot's {sequence, length}, or null when it is not a valid slot. */
  private static long[] decodeSlot(ByteBuffer slot) {
    ByteBuffer b = slot.duplicate().order(ByteOrder.BIG_ENDIAN);
    if (b.getLong(0) != MAGIC) {
      return null;
    }
    CRC32C crc = new CRC32C();
    crc.update(b.duplicate().position(0).limit(SLOT_BYTES - 4));
    if ((int) crc.getValue() != b.getInt(SLOT_BYTES - 4)) {
      return null;
    }
    return new long[] {b.getLong(8), b.getLong(16)};
  }

  private static boolean allZero(ByteBuffer b) {
    for (int i = b.position(); i < b.limit(); i++) {
      if (b.get(i) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Writes the next slot (the other one) with the current length, and flushes. */
  private void writeSlot() throws IOException {
    long next = sequence + 1;
    ByteBuffer slot = ByteBuffer.allocate(sectorSize).order(ByteOrder.BIG_ENDIAN);
    slot.putLong(MAGIC).putLong(next).putLong(length);
    CRC32C crc = new CRC32C();
    crc.update(slot.duplicate().flip());
    slot.putInt((int) crc.getValue());
    block.write(next % 2, slot.clear());
    block.flush();
    sequence = next;
    durableLength = length;
  }

  /** Journals what is pending, writes it in place, records the length: one atomic commit. */
  private void commit() throws IOException {
    if (pending.isEmpty() && length == durableLength) {
      block.flush();
      return;
    }
    int entries = pending.size();
    long tableSectors = tableSectors(entries);
    ByteBuffer record = ByteBuffer.allocate((int) ((1 + tableSectors + entries) * sectorSize))
        .order(ByteOrder.BIG_ENDIAN);
    record.putLong(JOURNAL_MAGIC).putLong(sequence + 1).putLong(length).putInt(entries);
    record.position(sectorSize);
    for (long sector : pending.keySet()) {
      record.putLong(sector);
    }
    record.position((int) ((1 + tableSectors) * sectorSize));
    for (byte[] data : pending.values()) {
      record.put(data);
    }
    CRC32C crc = new CRC32C();
    crc.update(record.duplicate().position(0).limit(RECORD_HEAD - 4));
    crc.update(record.duplicate().position(sectorSize).limit(record.capacity()));
    record.putInt(RECORD_HEAD - 4, (int) crc.getValue());
    block.write(journalSector, record.clear());
    block.flush();
    // in place, each run of consecutive sectors (up to 128 KiB) in one write
    ByteBuffer run = ByteBuffer.allocate(Math.min(entries, MAX_RUN) * sectorSize);
    long runStart = -1;
    int runLength = 0;
    for (Map.Entry<Long, byte[]> e : pending.entrySet()) {
      if (runLength > 0 && (e.getKey() != runStart + runLength || runLength == MAX_RUN)) {
        block.write(runStart, run.flip());
        run.clear();
        runLength = 0;
      }
      if (runLength == 0) {
        runStart = e.getKey();
      }
      run.put(e.getValue());
      runLength++;
    }
    if (runLength > 0) {
      block.write(runStart, run.flip());
    }
    block.flush();
    pending.clear();
    writeSlot();
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
    if (failed) {
      throw new IOException(name + ": an earlier write failed; open the store again");
    }
  }

  /**
   * Drops the writes of the commit in progress, which cannot complete: the device keeps the
   * state of the last force, which is what a store opened again will see.
   */
  private IOException fail(IOException e) {
    failed = true;
    pending.clear();
    length = durableLength;
    return e;
  }

  @Override
  public synchronized long size() throws IOException {
    checkOpen();
    return length;
  }

  /** Copies the bytes of sectors [first, first + count) as reads see them into a new buffer. */
  private ByteBuffer current(long first, int count) throws IOException {
    ByteBuffer tmp = ByteBuffer.allocate(count * sectorSize);
    block.read(first, tmp);
    for (Map.Entry<Long, byte[]> e : pending.subMap(first, first + count).entrySet()) {
      tmp.put((int) ((e.getKey() - first) * sectorSize), e.getValue());
    }
    return tmp.clear();
  }

  @Override
  public synchronized int read(ByteBuffer dst, long position) throws IOException {
    checkOpen();
    if (position >= length) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), length - position);
    if (n == 0) {
      return 0;
    }
    long first = dataSector + position / sectorSize;
    int offset = (int) (position % sectorSize);
    int count = (int) ((offset + (long) n + sectorSize - 1) / sectorSize);
    ByteBuffer tmp = current(first, count);
    dst.put(dst.position(), tmp, offset, n);
    dst.position(dst.position() + n);
    return n;
  }

  @Override
  public synchronized int write(ByteBuffer src, long position) throws IOException {
    checkOpen();
    int n = src.remaining();
    if (position < 0 || position + n > capacity) {
      throw fail(new IOException(name + " is full: the store needs " + (position + n)
          + " bytes and the device has " + capacity));
    }
    if (n == 0) {
      return 0;
    }
    long first = dataSector + position / sectorSize;
    int offset = (int) (position % sectorSize);
    int count = (int) ((offset + (long) n + sectorSize - 1) / sectorSize);
    ByteBuffer tmp;
    if (offset == 0 && n % sectorSize == 0) {
      tmp = ByteBuffer.allocate(n);
    } else {
      tmp = current(first, count); // the partly written sectors keep the rest of their bytes
    }
    tmp.put(offset, src, src.position(), n);
    int fresh = 0;
    for (int i = 0; i < count; i++) {
      if (!pending.containsKey(first + i)) {
        fresh++;
      }
    }
    long recordSectors = 1 + tableSectors(pending.size() + fresh) + pending.size() + fresh;
    if (recordSectors > journalSectors) {
      throw fail(new IOException(name + ": one change of " + recordSectors * sectorSize
          + " bytes or more does not fit the store's journal of " + journalSectors * sectorSize
          + " bytes (a quarter of the disk): give the store a larger disk"));
    }
    for (int i = 0; i < count; i++) {
      byte[] sector = new byte[sectorSize];
      tmp.get(i * sectorSize, sector);
      pending.put(first + i, sector);
    }
    src.position(src.position() + n);
    length = Math.max(length, position + n);
    return n;
  }

  /** Commits every write since the last force, atomically (see the class comment). */
  @Override
  public synchronized void force(boolean metaData) throws IOException {
    checkOpen();
    try {
      commit();
    } catch (IOException | RuntimeException e) {
      failed = true; // the device may be gone; a reopen finds the last whole commit
      throw e;
    }
  }

  @Override
  protected synchronized void implTruncate(long newLength) throws IOException {
    checkOpen();
    if (newLength < length) {
      length = newLength; // committed with the writes around it, at the next force
      pending.tailMap(dataSector + (newLength + sectorSize - 1) / sectorSize).clear();
    }
  }

  @Override
  protected synchronized void implCloseChannel() throws IOException {
    if (!closed) {
      closed = true;
      if (!failed) {
        commit();
      }
    }
  }

  /**
   * The lock H2 takes on its file. A device is opened by one store of this process only, so the
   * lock only has to say it is held; another process cannot reach a guest's disk at all.
   */
  @Override
  public synchronized FileLock tryLock(long position, long size, boolean shared) throws IOException {
    checkOpen();
    return new FileLock(this, position, size, shared) {
      private volatile boolean released;

      @Override
      public boolean isValid() {
        return !released && isOpen();
      }

      @Override
      public void release() {
        released = true;
      }
    };
  }

  @Override
  public String toString() {
    return "BlockChannel(" + name + ", " + length + " of " + capacity + " bytes)";
  }

  /** The file's capacity in bytes (the device less its header and journal). */
  long capacity() {
    return capacity;
  }
}
