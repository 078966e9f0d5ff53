package org.mirage4j.drivers.blockkv;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.store.fs.FilePath;
import org.mirage4j.api.Block;

/**
 * The file system H2 sees: one file per block device a {@link BlockKvRw} opened, named
 * {@code m4j-block:N}. H2 opens its stores by file name through {@link FilePath}, its public
 * extension point for file systems, so a store on a block device is a file name whose scheme this
 * class serves. Devices are registered while their store is open and removed when it closes.
 */
final class BlockFilePath extends FilePath {

  static final String SCHEME = "m4j-block";

  private static final Map<String, Opened> OPEN = new ConcurrentHashMap<>();
  private static final AtomicLong NEXT = new AtomicLong();
  private static final BlockFilePath PROVIDER = new BlockFilePath(SCHEME + ":");

  static {
    FilePath.register(PROVIDER);
  }

  private record Opened(Block block, String description) {}

  private BlockFilePath(String name) {
    this.name = name;
  }

  /** Makes {@code block} a file H2 can open; the name to give MVStore. */
  static String register(Block block, String description) {
    String fileName = SCHEME + ":" + NEXT.incrementAndGet();
    OPEN.put(fileName, new Opened(block, description));
    return fileName;
  }

  static void unregister(String fileName) {
    OPEN.remove(fileName);
  }

  private Opened opened() {
    return OPEN.get(name);
  }

  private boolean isRoot() {
    return name.equals(SCHEME + ":");
  }

  @Override
  public FileChannel open(String mode) throws IOException {
    Opened o = opened();
    if (o == null) {
      throw new IOException("no block device is registered as " + name);
    }
    return new BlockChannel(o.block(), o.description());
  }

  @Override
  public long size() {
    return 0; // H2 asks the channel it opened; a device's length is in its header
  }

  @Override
  public boolean exists() {
    return isRoot() || opened() != null;
  }

  @Override
  public boolean isDirectory() {
    return isRoot();
  }

  @Override
  public boolean isRegularFile() {
    return !isRoot() && opened() != null;
  }

  @Override
  public boolean canWrite() {
    Opened o = opened();
    return o != null && o.block().info().readWrite();
  }

  @Override
  public boolean isAbsolute() {
    return true;
  }

  @Override
  public FilePath toRealPath() {
    return this;
  }

  @Override
  public FilePath getParent() {
    return isRoot() ? null : PROVIDER;
  }

  @Override
  public long lastModified() {
    return 0;
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public FilePath getPath(String path) {
    return new BlockFilePath(path);
  }

  @Override
  public List<FilePath> newDirectoryStream() {
    return List.of();
  }

  @Override
  public boolean createFile() {
    return false; // a device exists or it does not
  }

  @Override
  public void createDirectory() {
    throw new UnsupportedOperationException("a block device has no directories");
  }

  @Override
  public void delete() {
    throw new UnsupportedOperationException("a block device cannot be deleted");
  }

  @Override
  public void moveTo(FilePath newName, boolean atomicReplace) {
    throw new UnsupportedOperationException("a block device cannot be renamed");
  }

  @Override
  public boolean setReadOnly() {
    return false;
  }
}
