package org.mirage4j.drivers.direct;

import java.nio.ByteBuffer;

/** A fixed-capacity circular byte buffer (not thread-safe; the TCP lock guards it). */
final class ByteRing {
  private final byte[] data;
  private int head;
  private int size;

  ByteRing(int capacity) {
    data = new byte[capacity];
  }

  int size() {
    return size;
  }

  int capacity() {
    return data.length;
  }

  int free() {
    return data.length - size;
  }

  /** Appends up to {@code n} bytes from {@code src}, advancing it; returns the count. */
  int write(ByteBuffer src, int n) {
    n = Math.min(n, Math.min(free(), src.remaining()));
    int tail = (head + size) % data.length;
    int first = Math.min(n, data.length - tail);
    src.get(data, tail, first);
    if (n > first) {
      src.get(data, 0, n - first);
    }
    size += n;
    return n;
  }

  /** Appends {@code len} bytes of {@code src} from {@code off}. */
  int write(byte[] src, int off, int len) {
    return write(ByteBuffer.wrap(src, off, len), len);
  }

  /** Moves up to {@code dst.remaining()} bytes out into {@code dst}; returns the count. */
  int read(ByteBuffer dst) {
    int n = Math.min(size, dst.remaining());
    int first = Math.min(n, data.length - head);
    dst.put(data, head, first);
    if (n > first) {
      dst.put(data, 0, n - first);
    }
    drop(n);
    return n;
  }

  /** Copies {@code len} bytes starting {@code offset} bytes in, into {@code dst}. */
  void peek(int offset, int len, ByteBuffer dst) {
    int start = (head + offset) % data.length;
    int first = Math.min(len, data.length - start);
    dst.put(data, start, first);
    if (len > first) {
      dst.put(data, 0, len - first);
    }
  }

  void drop(int n) {
    head = (head + n) % data.length;
    size -= n;
    if (size == 0) {
      head = 0;
    }
  }
}
