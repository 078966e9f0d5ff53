package org.mirage4j.guest.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The little of an ELF file (32 or 64 bit, either byte order) that building a guest needs: the
 * shared libraries an executable or library asks for ({@code DT_NEEDED}), its program interpreter
 * ({@code PT_INTERP}), and the {@code .modinfo} section of a kernel module (its {@code depends=}).
 * It reads foreign-architecture files, where {@code ldd} and {@code modinfo} cannot run.
 */
public final class ElfFile {

  private static final int SHT_DYNAMIC = 6;
  private static final int PT_INTERP = 3;
  private static final long DT_NEEDED = 1;

  private final ByteBuffer buf;
  private final boolean is64;
  private final List<Section> sections = new ArrayList<>();

  private record Section(String name, int type, long offset, long size, int link) {}

  private ElfFile(ByteBuffer buf) throws IOException {
    this.buf = buf;
    if (buf.limit() < 52 || buf.get(0) != 0x7f || buf.get(1) != 'E' || buf.get(2) != 'L' || buf.get(3) != 'F') {
      throw new IOException("not an ELF file");
    }
    is64 = buf.get(4) == 2;
    buf.order(buf.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    long shoff = is64 ? buf.getLong(0x28) : u32(0x20);
    int shentsize = u16(is64 ? 0x3a : 0x2e);
    int shnum = u16(is64 ? 0x3c : 0x30);
    int shstrndx = u16(is64 ? 0x3e : 0x32);
    if (shoff == 0 || shnum == 0) {
      return;
    }
    List<long[]> raw = new ArrayList<>();
    for (int i = 0; i < shnum; i++) {
      int at = check(shoff + (long) i * shentsize, shentsize);
      long nameOff = u32(at);
      long type = u32(at + 4);
      long off = is64 ? buf.getLong(at + 0x18) : u32(at + 0x10);
      long size = is64 ? buf.getLong(at + 0x20) : u32(at + 0x14);
      long link = u32(at + (is64 ? 0x28 : 0x18));
      raw.add(new long[] {nameOff, type, off, size, link});
    }
    long strOff = shstrndx < raw.size() ? raw.get(shstrndx)[2] : 0;
    for (long[] r : raw) {
      sections.add(new Section(cString(strOff + r[0]), (int) r[1], r[2], r[3], (int) r[4]));
    }
  }

  /** Reads {@code file}. */
  public static ElfFile read(Path file) throws IOException {
    return new ElfFile(ByteBuffer.wrap(Files.readAllBytes(file)));
  }

  /** Parses ELF bytes. */
  public static ElfFile parse(byte[] bytes) throws IOException {
    return new ElfFile(ByteBuffer.wrap(bytes));
  }

  /** Whether {@code file} starts with the ELF magic. */
  public static boolean isElf(Path file) {
    try (var in = Files.newInputStream(file)) {
      byte[] m = in.readNBytes(4);
      return m.length == 4 && m[0] == 0x7f && m[1] == 'E' && m[2] == 'L' && m[3] == 'F';
    } catch (IOException e) {
      return false;
    }
  }

  /** The shared libraries this file names as needed, in order. */
  public List<String> needed() throws IOException {
    List<String> out = new ArrayList<>();
    for (Section s : sections) {
      if (s.type() != SHT_DYNAMIC || s.link() >= sections.size()) {
        continue;
      }
      long strtab = sections.get(s.link()).offset();
      int entry = is64 ? 16 : 8;
      for (long at = s.offset(); at + entry <= s.offset() + s.size(); at += entry) {
        int p = check(at, entry);
        long tag = is64 ? buf.getLong(p) : u32(p);
        long val = is64 ? buf.getLong(p + 8) : u32(p + 4);
        if (tag == 0) {
          break;
        }
        if (tag == DT_NEEDED) {
          out.add(cString(strtab + val));
        }
      }
    }
    return out;
  }

  /** The program interpreter ({@code /lib64/ld-linux-x86-64.so.2}), for an executable that has one. */
  public Optional<String> interpreter() throws IOException {
    long phoff = is64 ? buf.getLong(0x20) : u32(0x1c);
    int phentsize = u16(is64 ? 0x36 : 0x2a);
    int phnum = u16(is64 ? 0x38 : 0x2c);
    for (int i = 0; i < phnum; i++) {
      int at = check(phoff + (long) i * phentsize, phentsize);
      if (u32(at) == PT_INTERP) {
        long off = is64 ? buf.getLong(at + 8) : u32(at + 4);
        return Optional.of(cString(off));
      }
    }
    return Optional.empty();
  }

  /**
   * The {@code key=value} strings of a kernel module's {@code .modinfo} section, in order (a key
   * such as {@code alias} may repeat: the last value wins here).
   */
  public Map<String, String> modinfo() throws IOException {
    Map<String, String> info = new LinkedHashMap<>();
    for (Section s : sections) {
      if (!s.name().equals(".modinfo")) {
        continue;
      }
      int start = check(s.offset(), (int) s.size());
      byte[] bytes = new byte[(int) s.size()];
      buf.get(start, bytes);
      for (String item : new String(bytes, StandardCharsets.UTF_8).split("\0")) {
        int eq = item.indexOf('=');
        if (eq > 0) {
          info.put(item.substring(0, eq), item.substring(eq + 1));
        }
      }
    }
    return info;
  }

  private int check(long offset, int length) throws IOException {
    if (offset < 0 || length < 0 || offset + length > buf.limit()) {
      throw new IOException("truncated ELF file (offset " + offset + ")");
    }
    return (int) offset;
  }

  private long u32(int at) {
    return buf.getInt(at) & 0xffffffffL;
  }

  private int u16(int at) {
    return buf.getShort(at) & 0xffff;
  }

  private String cString(long offset) throws IOException {
    int start = check(offset, 0);
    int end = start;
    while (end < buf.limit() && buf.get(end) != 0) {
      end++;
    }
    byte[] b = new byte[end - start];
    buf.get(start, b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
