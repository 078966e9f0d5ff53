package org.mirage4j.drivers.direct.tcp;

import java.nio.ByteBuffer;

/**
 * A circular byte buffer with a maximum capacity that allocates as it fills (so idle or half-open
 * connections hold almost nothing). Not thread-safe; the TCP lock guards it.
 */
final class ByteRing {
  private final int max;
  private byte[] data;
  private int head;
  private int size;

  ByteRing(int maxCapacity) {
    max = maxCapacity;
    data = new byte[Math.min(maxCapacity, 2048)];
  }

  int size() {
    return size;
  }

  int capacity() {
    return max;
  }

  int free() {
    return max - size;
  }

  private void ensure(int needed) {
    if (needed <= data.length) {
      return;
    }
    int cap = data.length == 0 ? 2048 : data.length;
    while (cap < needed) {
      cap *= 2;
    }
    cap = Math.min(cap, max);
    byte[] grown = new byte[cap];
    int first = Math.min(size, data.length - head);
    System.arraycopy(data, head, grown, 0, first);
    System.arraycopy(data, 0, grown, first, size - first);
    data = grown;
    head = 0;
  }

  /** Appends up to {@code n} bytes from {@code src}, advancing it; returns the count. */
  int write(ByteBuffer src, int n) {
    n = Math.min(n, Math.min(free(), src.remaining()));
    if (n <= 0) {
      return 0;
    }
    ensure(size + n);
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
    if (n <= 0) {
      return 0;
    }
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
    if (len <= 0) {
      return;
    }
    int start = (head + offset) % data.length;
    int first = Math.min(len, data.length - start);
    dst.put(data, start, first);
    if (len > first) {
      dst.put(data, 0, len - first);
    }
  }

  void drop(int n) {
    if (n <= 0) {
      return;
    }
    head = (head + n) % data.length;
    size -= n;
    if (size == 0) {
      head = 0;
    }
  }
}
