package org.mirage4j.drivers.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.mirage4j.api.Block;

/** A {@link Block} over a {@link FileChannel}: the shared part of the file and guest drivers. */
abstract class ChannelBlock implements Block {

  /** Bytes per sector. */
  static final int SECTOR_SIZE = 512;

  private volatile FileChannel channel;
  private volatile Info info;

  /**
   * Opens {@code path} read-write, or read-only when writing is not permitted and {@code
   * readOnlyFallback} is set; {@code probe} gives the size, a positive multiple of {@link
   * #SECTOR_SIZE}.
   */
  final void open(Path path, boolean readOnlyFallback, SizeProbe probe) throws IOException {
    FileChannel ch;
    boolean readWrite = true;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (AccessDeniedException e) {
      if (!readOnlyFallback) {
        throw e;
      }
      ch = FileChannel.open(path, StandardOpenOption.READ);
      readWrite = false;
    }
    try {
      long size = probe.size(ch);
      checkSize(path, size);
      info = new Info(SECTOR_SIZE, size / SECTOR_SIZE, readWrite);
      channel = ch;
      Info opened = info;
      System.getLogger("block").log(System.Logger.Level.INFO, () -> path + ": " + opened.sectors()
          + " sectors of " + opened.sectorSize() + " bytes, " + (opened.readWrite() ? "read-write" : "read-only"));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** How the size of an opened device is found. */
  @FunctionalInterface
  interface SizeProbe {
    long size(FileChannel channel) throws IOException;
  }

  static void checkSize(Object what, long size) throws IOException {
    if (size <= 0 || size % SECTOR_SIZE != 0) {
      throw new IOException(
          "block device " + what + ": size " + size + " bytes is not a positive multiple of "
              + SECTOR_SIZE);
    }
  }

  private FileChannel channel() {
    FileChannel ch = channel;
    if (ch == null) {
      throw new IllegalStateException(this + " is not connected");
    }
    return ch;
  }

  @Override
  public Info info() {
    Info i = info;
    if (i == null) {
      throw new IllegalStateException(this + " is not connected");
    }
    return i;
  }

  /** The byte offset of a request, after checking its length and bounds. */
  private long check(long sector, int length) {
    if (length % SECTOR_SIZE != 0) {
      throw new IllegalArgumentException(
          "length " + length + " is not a multiple of the sector size " + SECTOR_SIZE);
    }
    long sectors = info().sectors();
    long count = length / SECTOR_SIZE;
    if (sector < 0 || sector > sectors || count > sectors - sector) {
      throw new IndexOutOfBoundsException(
          "sectors [" + sector + ", " + (sector + count) + ") are outside the device's " + sectors
              + " sectors");
    }
    return sector * SECTOR_SIZE;
  }

  @Override
  public void read(long sector, ByteBuffer into) throws IOException {
    long position = check(sector, into.remaining());
    FileChannel ch = channel();
    while (into.hasRemaining()) {
      int n = ch.read(into, position);
      if (n < 0) {
        // The file shrank underneath us; a block device reads zeros there.
        while (into.hasRemaining()) {
          into.put((byte) 0);
        }
        break;
      }
      position += n;
    }
  }

  @Override
  public void write(long sector, ByteBuffer data) throws IOException {
    long position = check(sector, data.remaining());
    if (!info().readWrite()) {
      throw new IOException(this + " is read-only");
    }
    FileChannel ch = channel();
    while (data.hasRemaining()) {
      position += ch.write(data, position);
    }
  }

  @Override
  public void flush() throws IOException {
    channel().force(true);
  }

  @Override
  public void close() throws IOException {
    FileChannel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }
}
