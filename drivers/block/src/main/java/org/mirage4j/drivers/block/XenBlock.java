package org.mirage4j.drivers.block;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The {@code xen_block} driver: the guest's block device ({@code /dev/xvdb}, ...) that backs a host
 * disk file of the configuration, with 512-byte sectors.
 *
 * <p>The configuration names the host file; the guest configuration attaches it as a guest device,
 * which the generated wiring passes to this driver (it {@code needs disk(file)}), and {@link
 * #connect()} opens that device (never creating it). The size is the device's: for a block special
 * file it is read from {@code /sys/class/block/<name>/size}, for a regular file (tests, loop setups)
 * it is the file's length. Semantics are otherwise those of {@link FileBlock}.
 */
public final class XenBlock extends ChannelBlock {

  private final String file;
  private final String device;

  /**
   * @param file the host disk file as the configuration names it
   * @param guestDevice the guest's block device that the guest configuration attaches for it
   *     ({@code /dev/xvdb})
   */
  public XenBlock(String file, String guestDevice) {
    this.file = Objects.requireNonNull(file, "file");
    this.device = Objects.requireNonNull(guestDevice, "guestDevice");
  }

  /**
   * Opens the guest device.
   *
   * @throws IOException if it does not exist or cannot be opened, or its size is not a positive
   *     multiple of 512
   */
  @Override
  public void connect() throws IOException {
    Path path = Path.of(device);
    if (!Files.exists(path)) {
      throw new IOException("guest block device " + device + " for disk '" + file + "' does not exist");
    }
    open(path, true, ch -> deviceSize(path, ch));
  }

  private static long deviceSize(Path path, FileChannel ch) throws IOException {
    if (Files.isRegularFile(path)) {
      return ch.size();
    }
    String name = path.toRealPath().getFileName().toString();
    Path sysfs = Path.of("/sys/class/block", name, "size");
    try {
      return Long.parseLong(Files.readString(sysfs).trim()) * 512L; // sysfs counts 512-byte units
    } catch (IOException | NumberFormatException e) {
      throw new IOException("cannot find the size of block device " + path + " in " + sysfs, e);
    }
  }

  @Override
  public String toString() {
    return "XenBlock(" + file + ")";
  }
}
