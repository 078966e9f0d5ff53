package org.mirage4j.guest.debian;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A Debian binary package ({@code .deb}): an {@code ar} archive holding {@code debian-binary}, the
 * control archive and the data archive ({@code control.tar.xz}, {@code data.tar.xz}; {@code .gz}
 * and uncompressed tars are read too). Read with commons-compress and XZ for Java: no {@code dpkg}
 * is needed, so images can be built on any host.
 */
public final class DebPackage {

  private final Path file;

  private DebPackage(Path file) {
    this.file = file;
  }

  /** The package in {@code file}; nothing is read until asked. */
  public static DebPackage of(Path file) {
    return new DebPackage(file);
  }

  /** The package file. */
  public Path file() {
    return file;
  }

  /** The fields of the control file ({@code Package}, {@code Version}, {@code Architecture}, ...). */
  public Map<String, String> control() throws IOException {
    Map<String, String> fields = new LinkedHashMap<>();
    withMember("control.tar", tar -> {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (normalise(e.getName()).equals("control")) {
          String text = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
          String last = null;
          for (String line : text.split("\n")) {
            if (line.startsWith(" ") && last != null) {
              fields.put(last, fields.get(last) + "\n" + line.substring(1));
            } else if (line.contains(":")) {
              last = line.substring(0, line.indexOf(':')).trim();
              fields.put(last, line.substring(line.indexOf(':') + 1).trim());
            }
          }
          return;
        }
      }
    });
    return fields;
  }

  /**
   * Extracts the data archive under {@code root}, as {@code dpkg -x} would, with two differences
   * that make the tree usable where it lies: an absolute symbolic link ({@code /etc/...}) is
   * rewritten to point inside {@code root}, and no entry may leave {@code root}.
   *
   * @throws IOException if the archive cannot be read or an entry would leave {@code root}
   */
  public void extractTo(Path root) throws IOException {
    Path base = root.toAbsolutePath().normalize();
    Files.createDirectories(base);
    withMember("data.tar", tar -> {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        String name = normalise(e.getName());
        if (name.isEmpty()) {
          continue;
        }
        Path target = inside(base, name);
        if (e.isDirectory()) {
          Files.createDirectories(target);
        } else if (e.isSymbolicLink()) {
          Files.createDirectories(target.getParent());
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, Path.of(linkTarget(base, name, e.getLinkName())));
        } else if (e.isLink()) {
          Files.createDirectories(target.getParent());
          Path from = inside(base, normalise(e.getLinkName()));
          Files.copy(from, target, StandardCopyOption.REPLACE_EXISTING);
        } else if (e.isFile()) {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
          setMode(target, e.getMode());
        }
      }
    });
  }

  /** A link target that stays inside {@code base}: absolute ones become relative to the link. */
  static String linkTarget(Path base, String linkPath, String target) throws IOException {
    if (!target.startsWith("/")) {
      Path resolved = inside(base, linkPath).getParent().resolve(target).normalize();
      if (!resolved.startsWith(base)) {
        throw new IOException("symbolic link " + linkPath + " -> " + target + " leaves the package");
      }
      return target;
    }
    Path link = inside(base, linkPath);
    Path dest = inside(base, normalise(target));
    return link.getParent().relativize(dest).toString();
  }

  private static Path inside(Path base, String name) throws IOException {
    Path p = base.resolve(name).normalize();
    if (!p.startsWith(base)) {
      throw new IOException("archive entry '" + name + "' would be written outside " + base);
    }
    return p;
  }

  /** {@code ./usr/bin/x} and {@code /usr/bin/x} are {@code usr/bin/x}. */
  static String normalise(String name) {
    String n = name;
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.startsWith("./") ? n.substring(2) : n.substring(1);
    }
    if (n.equals(".")) {
      return "";
    }
    return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
  }

  private static void setMode(Path file, int mode) throws IOException {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        perms.add(bits[i]);
      }
    }
    perms.add(PosixFilePermission.OWNER_READ);
    perms.add(PosixFilePermission.OWNER_WRITE);
    try {
      Files.setPosixFilePermissions(file, perms);
    } catch (UnsupportedOperationException ignored) {
      // a file system without POSIX permissions: the tree is still readable
    }
  }

  /** What to do with one tar member of the package. */
  private interface TarReader {
    void read(TarArchiveInputStream tar) throws IOException;
  }

  private void withMember(String prefix, TarReader reader) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        ArArchiveInputStream ar = new ArArchiveInputStream(raw)) {
      ArArchiveEntry entry;
      while ((entry = ar.getNextEntry()) != null) {
        String name = entry.getName();
        if (!name.startsWith(prefix)) {
          continue;
        }
        InputStream member;
        if (name.endsWith(".xz")) {
          member = new XZCompressorInputStream(ar);
        } else if (name.endsWith(".gz")) {
          member = new GzipCompressorInputStream(ar);
        } else if (name.equals(prefix)) {
          member = ar;
        } else {
          throw new IOException(file.getFileName() + ": member " + name
              + " is compressed in a way this reader does not know (xz, gz or none)");
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(member)) {
          reader.read(tar);
        }
        return;
      }
    } catch (IllegalArgumentException e) {
      throw new IOException(file.getFileName() + " is not a Debian package: " + e.getMessage(), e);
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains(file.getFileName().toString())) {
        throw e;
      }
      throw new IOException(file.getFileName() + " cannot be read as a Debian package: " + e.getMessage(), e);
    }
    throw new IOException(file.getFileName() + " is not a Debian package: it has no " + prefix + " member");
  }
}
