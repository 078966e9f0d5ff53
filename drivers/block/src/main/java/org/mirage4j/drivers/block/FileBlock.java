package org.mirage4j.drivers.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * The {@code file_block} driver: a host file as a block device with 512-byte sectors.
 *
 * <p>On {@link #connect()} a missing file is created with {@code sizeBytes} (sparse, reading as
 * zeros); an existing file keeps its own size, which must also be a positive multiple of 512. A file
 * the process may not write is opened read-only ({@link Info#readWrite()} is false). Requests must be
 * whole sectors ({@link IllegalArgumentException} otherwise) inside the device ({@link
 * IndexOutOfBoundsException} otherwise); {@link #flush()} forces the file's contents and metadata to
 * the disk.
 */
public final class FileBlock extends ChannelBlock {

  private final String file;
  private final long sizeBytes;

  /**
   * A block device over {@code file}.
   *
   * @param file the file (relative to the working directory, or absolute)
   * @param sizeBytes the size to create the file with when it is missing: a positive multiple of 512
   */
  public FileBlock(String file, long sizeBytes) {
    this.file = Objects.requireNonNull(file, "file");
    this.sizeBytes = sizeBytes;
  }

  /**
   * Creates the file when missing, then opens it.
   *
   * @throws IOException if the size is not a positive multiple of 512, or the file cannot be opened
   */
  @Override
  public void connect() throws IOException {
    checkSize("'" + file + "' (configured size)", sizeBytes);
    Path path = Path.of(file);
    if (!Files.exists(path)) {
      create(path);
    }
    open(path, true, FileChannel::size);
  }

  private void create(Path path) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (FileChannel ch =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.SPARSE)) {
      ch.write(ByteBuffer.allocate(1), sizeBytes - 1);
    } catch (FileAlreadyExistsException e) {
      // Created concurrently by someone else: use it as it is.
    }
  }

  @Override
  public String toString() {
    return "FileBlock(" + file + ")";
  }
}
