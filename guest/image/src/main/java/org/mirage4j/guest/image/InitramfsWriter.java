package org.mirage4j.guest.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * Writes an {@link ImageTree} as a Linux initramfs: a cpio archive in the {@code newc} format
 * (commons-compress), compressed. Every entry is owned by root, dated 1970-01-01, numbered in path
 * order and written in path order, so the same tree gives the same bytes on every machine.
 */
public final class InitramfsWriter {

  /** How the archive is compressed; Debian's kernels unpack every one of these. */
  public enum Compression {
    /** gzip, level 9 (the JDK's deflater). */
    GZIP,
    /** xz with a CRC32 check, as the kernel's decoder requires (XZ for Java: pure Java). */
    XZ,
    /** none. */
    NONE
  }

  private InitramfsWriter() {}

  /** Writes {@code tree} to {@code file}. */
  public static void write(ImageTree tree, Path file, Compression compression) throws IOException {
    try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        OutputStream packed = compress(raw, compression);
        CpioArchiveOutputStream cpio =
            new CpioArchiveOutputStream(packed, CpioConstants.FORMAT_NEW, 512, StandardCharsets.UTF_8.name())) {
      long inode = 1;
      for (Map.Entry<String, ImageTree.Node> e : tree.entries()) {
        CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, e.getKey());
        entry.setInode(inode++);
        entry.setUID(0);
        entry.setGID(0);
        entry.setTime(0);
        entry.setDeviceMaj(0);
        entry.setDeviceMin(0);
        entry.setRemoteDeviceMaj(0);
        entry.setRemoteDeviceMin(0);
        ImageTree.Node n = e.getValue();
        if (n instanceof ImageTree.Dir d) {
          entry.setMode(CpioConstants.C_ISDIR | d.mode());
          entry.setNumberOfLinks(2);
          entry.setSize(0);
          cpio.putArchiveEntry(entry);
        } else if (n instanceof ImageTree.Link l) {
          byte[] target = l.target().getBytes(StandardCharsets.UTF_8);
          entry.setMode(CpioConstants.C_ISLNK | 0777);
          entry.setNumberOfLinks(1);
          entry.setSize(target.length);
          cpio.putArchiveEntry(entry);
          cpio.write(target);
        } else if (n instanceof ImageTree.Bytes b) {
          entry.setMode(CpioConstants.C_ISREG | b.mode());
          entry.setNumberOfLinks(1);
          entry.setSize(b.content().length);
          cpio.putArchiveEntry(entry);
          cpio.write(b.content());
        } else if (n instanceof ImageTree.HostFile f) {
          entry.setMode(CpioConstants.C_ISREG | f.mode());
          entry.setNumberOfLinks(1);
          entry.setSize(Files.size(f.source()));
          cpio.putArchiveEntry(entry);
          try (InputStream in = Files.newInputStream(f.source())) {
            in.transferTo(cpio);
          }
        }
        cpio.closeArchiveEntry();
      }
      cpio.finish();
    }
  }

  /** A compressing stream over {@code out}, deterministic for the same input. */
  public static OutputStream compress(OutputStream out, Compression compression) throws IOException {
    switch (compression) {
      case GZIP:
        return new GZIPOutputStream(out, 1 << 16) {
          {
            def.setLevel(Deflater.BEST_COMPRESSION);
          }
        };
      case XZ:
        LZMA2Options options = new LZMA2Options(6);
        return new XZOutputStream(out, new FilterOptions[] {options}, XZ.CHECK_CRC32);
      default:
        return new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            out.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            out.close();
          }
        };
    }
  }
}
