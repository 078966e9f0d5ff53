package org.mirage4j.guest.debian;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;

/** Writes small Debian packages for tests: an ar of debian-binary, control.tar.xz, data.tar.xz. */
public final class TestDebs {

  private TestDebs() {}

  /**
   * A package whose data archive holds {@code files} (path to content; a content starting with
   * {@code "->"} is a symbolic link to the rest).
   */
  public static Path write(Path file, String name, String version, Map<String, String> files) throws IOException {
    byte[] control = tar(Map.of("./control", "Package: " + name + "\nVersion: " + version + "\nArchitecture: amd64\n"));
    byte[] data = tar(files);
    try (OutputStream out = Files.newOutputStream(file); ArArchiveOutputStream ar = new ArArchiveOutputStream(out)) {
      member(ar, "debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII));
      member(ar, "control.tar.xz", control);
      member(ar, "data.tar.xz", data);
    }
    return file;
  }

  private static void member(ArArchiveOutputStream ar, String name, byte[] bytes) throws IOException {
    ar.putArchiveEntry(new ArArchiveEntry(name, bytes.length));
    ar.write(bytes);
    ar.closeArchiveEntry();
  }

  private static byte[] tar(Map<String, String> files) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (XZCompressorOutputStream xz = new XZCompressorOutputStream(buf);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(xz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
        if (f.getValue().startsWith("->")) {
          TarArchiveEntry e = new TarArchiveEntry(f.getKey(), TarArchiveEntry.LF_SYMLINK);
          e.setLinkName(f.getValue().substring(2));
          tar.putArchiveEntry(e);
        } else {
          byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
          TarArchiveEntry e = new TarArchiveEntry(f.getKey());
          e.setSize(b.length);
          e.setMode(f.getKey().contains("/bin/") ? 0100755 : 0100644);
          tar.putArchiveEntry(e);
          tar.write(b);
        }
        tar.closeArchiveEntry();
      }
    }
    return buf.toByteArray();
  }
}
