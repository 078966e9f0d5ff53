package org.mirage4j.drivers.block;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;
import org.mirage4j.runtime.GuestResources;

/**
 * The {@code xen_block} driver: the guest's block device ({@code /dev/xvdb}, ...) that backs a host
 * disk file of the configuration, with 512-byte sectors.
 *
 * <p>The configuration names the host file; the generated wiring installs a {@link GuestResources}
 * mapping that says which guest device the guest configuration attached it as, and {@link
 * #connect()} opens that device (never creating it). The size is the device's: for a block special
 * file it is read from {@code /sys/class/block/<name>/size}, for a regular file (tests, loop setups)
 * it is the file's length. Semantics are otherwise those of {@link FileBlock}.
 */
public final class XenBlock extends ChannelBlock {

  private final String file;
  private final Supplier<GuestResources> resources;

  /**
   * The guest device that backs the host disk {@code file}, looked up in {@link
   * GuestResources#current()} at connect time.
   *
   * @param file the host disk file as the configuration names it
   */
  public XenBlock(String file) {
    this(file, GuestResources::current);
  }

  /**
   * As {@link #XenBlock(String)}, with the mapping taken from {@code resources}.
   *
   * @param file the host disk file as the configuration names it
   * @param resources supplies the mapping from host files to guest devices
   */
  public XenBlock(String file, Supplier<GuestResources> resources) {
    this.file = Objects.requireNonNull(file, "file");
    this.resources = Objects.requireNonNull(resources, "resources");
  }

  /**
   * Looks up and opens the guest device.
   *
   * @throws IOException if no guest device is mapped to the file, or it cannot be opened, or its
   *     size is not a positive multiple of 512
   */
  @Override
  public void connect() throws IOException {
    String device =
        resources
            .get()
            .diskDevice(file)
            .orElseThrow(
                () ->
                    new IOException(
                        "no guest block device is attached for disk '" + file
                            + "' (is the guest configuration's disk list in step with the wiring?)"));
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
