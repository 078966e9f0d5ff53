package org.mirage4j.drivers.packet;

import java.nio.ByteBuffer;

/**
 * Completes the TCP or UDP checksum of a frame that a local sender handed over with checksum
 * offload (the kernel marks it {@code TP_STATUS_CSUMNOTREADY}: the field holds only the
 * pseudo-header sum), doing what a NIC would have done.
 */
final class Checksums {
  private Checksums() {}

  static void complete(ByteBuffer f, int len) {
    if (len < 34 || (f.getShort(12) & 0xffff) != 0x0800) {
      return;
    }
    int ihl = (f.get(14) & 0xf) * 4;
    int total = f.getShort(16) & 0xffff;
    int proto = f.get(23) & 0xff;
    if (ihl < 20 || total < ihl || 14 + total > len || (f.getShort(20) & 0x3fff) != 0) {
      return;
    }
    int at = proto == 6 ? 16 : proto == 17 ? 6 : -1;
    int start = 14 + ihl;
    int segLen = total - ihl;
    if (at < 0 || segLen < at + 2) {
      return;
    }
    f.putShort(start + at, (short) 0);
    long sum = 0;
    for (int i = 26; i < 34; i += 2) {
      sum += f.getShort(i) & 0xffff;
    }
    sum += proto + segLen;
    int i = start;
    int end = start + segLen;
    for (; i + 1 < end; i += 2) {
      sum += f.getShort(i) & 0xffff;
    }
    if (i < end) {
      sum += (f.get(i) & 0xff) << 8;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    int c = (int) (~sum & 0xffff);
    if (proto == 17 && c == 0) {
      c = 0xffff;
    }
    f.putShort(start + at, (short) c);
  }
}
