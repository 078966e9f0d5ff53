package org.mirage4j.api;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A block device (MirageOS's {@code block}): a file on {@code unix}, {@code /dev/xvdX} on {@code
 * xen} and {@code arm}. Reads and writes are whole sectors.
 */
public interface Block extends Device {

  /**
   * What the device is.
   *
   * @param sectorSize bytes per sector (512 usually)
   * @param sectors number of sectors
   * @param readWrite whether writes are allowed
   */
  record Info(int sectorSize, long sectors, boolean readWrite) {}

  /** The device's geometry and mode. */
  Info info();

  /**
   * Reads {@code into.remaining()} bytes (a multiple of the sector size) from sector {@code
   * sector}.
   *
   * @throws IllegalArgumentException if the length is not a multiple of the sector size
   * @throws IndexOutOfBoundsException if the range passes the end of the device
   */
  void read(long sector, ByteBuffer into) throws IOException;

  /**
   * Writes the remaining bytes of {@code data} (a multiple of the sector size) at sector {@code
   * sector}.
   *
   * @throws IllegalArgumentException if the length is not a multiple of the sector size
   * @throws IndexOutOfBoundsException if the range passes the end of the device
   * @throws IOException if the device is read-only
   */
  void write(long sector, ByteBuffer data) throws IOException;

  /** Makes every completed write durable. */
  void flush() throws IOException;
}
