package org.mirage4j.guest.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Minimal ELF64 little-endian relocatable files for tests: a kernel module with a .modinfo. */
public final class TestElf {

  private TestElf() {}

  /** A module whose .modinfo says {@code name=...} and {@code depends=...}. */
  public static byte[] module(String name, String depends) {
    byte[] modinfo = ("license=GPL\0depends=" + depends + "\0name=" + name + "\0").getBytes(StandardCharsets.UTF_8);
    byte[] shstrtab = "\0.shstrtab\0.modinfo\0".getBytes(StandardCharsets.UTF_8);
    int headers = 64;
    int shstrOff = headers;
    int modOff = shstrOff + shstrtab.length;
    int shOff = align(modOff + modinfo.length, 8);
    ByteBuffer b = ByteBuffer.allocate(shOff + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    b.position(16);
    b.putShort((short) 1); // ET_REL
    b.putShort((short) 62); // x86_64
    b.putInt(1);
    b.putLong(0); // entry
    b.putLong(0); // phoff
    b.putLong(shOff);
    b.putInt(0);
    b.putShort((short) 64); // ehsize
    b.putShort((short) 0); // phentsize
    b.putShort((short) 0); // phnum
    b.putShort((short) 64); // shentsize
    b.putShort((short) 3); // shnum
    b.putShort((short) 1); // shstrndx
    b.position(shstrOff);
    b.put(shstrtab);
    b.position(modOff);
    b.put(modinfo);
    b.position(shOff + 64);
    section(b, 1, 3, shstrOff, shstrtab.length);
    section(b, 11, 1, modOff, modinfo.length);
    return b.array();
  }

  private static void section(ByteBuffer b, int name, int type, long offset, long size) {
    b.putInt(name);
    b.putInt(type);
    b.putLong(0); // flags
    b.putLong(0); // addr
    b.putLong(offset);
    b.putLong(size);
    b.putInt(0); // link
    b.putInt(0); // info
    b.putLong(1); // align
    b.putLong(0); // entsize
  }

  private static int align(int n, int to) {
    return (n + to - 1) / to * to;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
