package org.mirage4j.drivers.direct.ip;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mirage4j.drivers.direct.time.Scheduler;

/**
 * Reassembly of fragmented datagrams (RFC 791 3.2, RFC 8200 4.5) within limits: at most so many
 * datagrams in reassembly at once and so many bytes held by all of them (the oldest datagrams are
 * dropped first to make room), each kept at most so long. Fragments past the largest datagram, or
 * whose ends disagree, discard the datagram; overlaps are overwritten by the later fragment.
 * Thread-safe.
 *
 * @param <K> what identifies a datagram (source, destination, protocol, identification)
 */
public final class Reassembly<K> {

  private final Scheduler scheduler;
  private final int maxDatagrams;
  private final int maxBytes;
  private final long timeoutNanos;
  private final int maxLength;
  private final LinkedHashMap<K, Datagram> datagrams = new LinkedHashMap<>();
  private int bytes;

  private static final class Datagram {
    final long created;
    byte[] data = new byte[0];
    final List<int[]> have = new ArrayList<>();
    int total = -1;
    Scheduler.Timer timer;

    Datagram(long created) {
      this.created = created;
    }
  }

  /**
   * @param maxDatagrams most datagrams in reassembly at once
   * @param maxBytes most bytes held by all of them
   * @param timeoutNanos how long an incomplete datagram is kept
   * @param maxLength the largest reassembled payload
   */
  public Reassembly(Scheduler scheduler, int maxDatagrams, int maxBytes, long timeoutNanos,
      int maxLength) {
    this.scheduler = scheduler;
    this.maxDatagrams = maxDatagrams;
    this.maxBytes = maxBytes;
    this.timeoutNanos = timeoutNanos;
    this.maxLength = maxLength;
  }

  /** Datagrams in reassembly now. */
  public int count() {
    synchronized (datagrams) {
      return datagrams.size();
    }
  }

  /** Bytes held now. */
  public int bytes() {
    synchronized (datagrams) {
      return bytes;
    }
  }

  /**
   * Adds one fragment.
   *
   * @param offset where its data goes in the datagram's payload
   * @param more whether more fragments follow (the M flag)
   * @return the whole payload once the last gap is filled, otherwise null
   */
  public ByteBuffer add(K key, int offset, boolean more, ByteBuffer part) {
    int n = part.remaining();
    int end = offset + n;
    if (end > maxLength || (more && (n == 0 || n % 8 != 0))) {
      return null;
    }
    synchronized (datagrams) {
      long now = scheduler.nanoTime();
      expireLocked(now);
      Datagram r = datagrams.get(key);
      if (r == null) {
        while (datagrams.size() >= maxDatagrams) {
          dropOldestLocked();
        }
        r = new Datagram(now);
        datagrams.put(key, r);
        Datagram created = r;
        r.timer = scheduler.schedule(timeoutNanos, () -> {
          synchronized (datagrams) {
            if (datagrams.get(key) == created) {
              removeLocked(key);
            }
          }
        });
      }
      if (!more) {
        if (r.total >= 0 && r.total != end) {
          removeLocked(key);
          return null;
        }
        r.total = end;
      }
      if (r.total >= 0 && end > r.total) {
        removeLocked(key);
        return null;
      }
      if (end > r.data.length) {
        int grow = Math.max(end, Math.min(65535, r.data.length * 2));
        grow = r.total >= 0 ? Math.max(end, r.total) : grow;
        while (bytes + grow - r.data.length > maxBytes) {
          if (datagrams.size() <= 1 || !dropOldestOtherLocked(key)) {
            removeLocked(key);
            return null;
          }
        }
        bytes += grow - r.data.length;
        r.data = Arrays.copyOf(r.data, grow);
      }
      part.duplicate().get(r.data, offset, n);
      addInterval(r.have, offset, end);
      if (r.total >= 0 && r.have.size() == 1 && r.have.get(0)[0] == 0 && r.have.get(0)[1] == r.total) {
        removeLocked(key);
        return ByteBuffer.wrap(r.data, 0, r.total).slice();
      }
      return null;
    }
  }

  private static void addInterval(List<int[]> have, int from, int to) {
    if (from == to) {
      return;
    }
    have.add(new int[] {from, to});
    have.sort((a, b) -> Integer.compare(a[0], b[0]));
    List<int[]> merged = new ArrayList<>();
    for (int[] iv : have) {
      if (!merged.isEmpty() && merged.get(merged.size() - 1)[1] >= iv[0]) {
        int[] last = merged.get(merged.size() - 1);
        last[1] = Math.max(last[1], iv[1]);
      } else {
        merged.add(new int[] {iv[0], iv[1]});
      }
    }
    have.clear();
    have.addAll(merged);
  }

  private void expireLocked(long now) {
    Iterator<Map.Entry<K, Datagram>> it = datagrams.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<K, Datagram> e = it.next();
      if (now - e.getValue().created < timeoutNanos) {
        break; // insertion order is creation order
      }
      bytes -= e.getValue().data.length;
      e.getValue().timer.cancel();
      it.remove();
    }
  }

  private void dropOldestLocked() {
    removeLocked(datagrams.keySet().iterator().next());
  }

  private boolean dropOldestOtherLocked(K keep) {
    for (K k : datagrams.keySet()) {
      if (!k.equals(keep)) {
        removeLocked(k);
        return true;
      }
    }
    return false;
  }

  private void removeLocked(K k) {
    Datagram r = datagrams.remove(k);
    if (r != null) {
      bytes -= r.data.length;
      if (r.timer != null) {
        r.timer.cancel();
      }
    }
  }
}
