package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.mirage4j.api.Arp;
import org.mirage4j.api.Ethernet;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.MonotonicClock;
import org.mirage4j.drivers.direct.time.Scheduler;

/**
 * ARP (RFC 826) for IPv4 over Ethernet: answers requests for this host's addresses, keeps a bounded
 * cache whose entries expire, asks the network (retrying) for addresses it does not know, and
 * announces its addresses with gratuitous ARP (RFC 5227 announcements) on connect and whenever they
 * change.
 */
public final class ArpLayer implements Arp {

  /** How long a learned entry stays valid. */
  static final long ENTRY_LIFETIME_NANOS = Duration.ofSeconds(60).toNanos();
  /** Interval between two requests for the same address. */
  static final long RETRY_NANOS = Duration.ofSeconds(1).toNanos();
  /** Requests sent before a query fails. */
  static final int MAX_REQUESTS = 3;
  /** Most entries the cache holds. */
  static final int MAX_ENTRIES = 1024;
  /** Most addresses being asked for at once. */
  static final int MAX_PENDING = 256;
  /** Most callers waiting for one address. */
  static final int MAX_WAITERS = 64;

  private static final int OP_REQUEST = 1;
  private static final int OP_REPLY = 2;

  private final Ethernet ethernet;
  private final Scheduler scheduler;
  private final Object lock = new Object();
  private final LinkedHashMap<Ipv4Address, Entry> cache = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<Ipv4Address, Pending> pending = new LinkedHashMap<>();
  private volatile List<Ipv4Address> addresses = List.of();
  private volatile boolean connected;

  private record Entry(MacAddress mac, long expires) {}

  private final class Pending {
    final Ipv4Address address;
    final List<Consumer<Optional<MacAddress>>> waiters = new ArrayList<>();
    int sent;
    Scheduler.Timer timer;

    Pending(Ipv4Address address) {
      this.address = address;
    }
  }

  /** ARP over {@code ethernet}, timing retries and expiry with {@code clock}. */
  public ArpLayer(Ethernet ethernet, MonotonicClock clock) {
    this.ethernet = ethernet;
    this.scheduler = Scheduler.forClock(clock);
  }

  /** The scheduler this layer times with (shared with the layers above it). */
  public Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public void connect() throws IOException {
    ethernet.listen(Ethernet.ARP, (src, dst, payload) -> input(payload));
    connected = true;
    for (Ipv4Address a : addresses) {
      announce(a);
    }
  }

  @Override
  public void close() {
    connected = false;
    List<Pending> all;
    synchronized (lock) {
      all = new ArrayList<>(pending.values());
      pending.clear();
    }
    for (Pending p : all) {
      fail(p);
    }
  }

  @Override
  public List<Ipv4Address> addresses() {
    return addresses;
  }

  @Override
  public void setAddresses(List<Ipv4Address> addresses) throws IOException {
    List<Ipv4Address> copy = List.copyOf(addresses);
    this.addresses = copy;
    if (connected) {
      for (Ipv4Address a : copy) {
        announce(a);
      }
    }
  }

  @Override
  public MacAddress resolve(Ipv4Address address, Duration timeout) throws IOException {
    CompletableFuture<Optional<MacAddress>> f = new CompletableFuture<>();
    Scheduler.Timer t = scheduler.schedule(timeout.toNanos(), () -> f.complete(Optional.empty()));
    query(address, f::complete);
    try {
      Optional<MacAddress> m = f.get();
      t.cancel();
      return m.orElseThrow(() -> new NoRouteToHostException("no ARP reply from " + address));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted resolving " + address);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    }
  }

  /**
   * Calls {@code callback} with the MAC of {@code address}: at once on a cache hit, otherwise when a
   * reply arrives (on the receive thread) or, with empty, when the requests go unanswered. Never
   * blocks.
   */
  public void query(Ipv4Address address, Consumer<Optional<MacAddress>> callback) {
    MacAddress hit;
    boolean send = false;
    Pending p;
    synchronized (lock) {
      hit = lookupLocked(address);
      p = null;
      if (hit == null) {
        p = pending.get(address);
        if (p == null) {
          if (pending.size() >= MAX_PENDING) {
            p = null;
          } else {
            p = new Pending(address);
            pending.put(address, p);
            send = true;
          }
        }
        if (p != null && p.waiters.size() < MAX_WAITERS) {
          p.waiters.add(callback);
        } else {
          p = null;
        }
      }
    }
    if (hit != null) {
      callback.accept(Optional.of(hit));
      return;
    }
    if (p == null) {
      callback.accept(Optional.empty());
      return;
    }
    if (send) {
      request(p);
    }
  }

  /** The cached MAC of {@code address}, if fresh. */
  public Optional<MacAddress> cached(Ipv4Address address) {
    synchronized (lock) {
      return Optional.ofNullable(lookupLocked(address));
    }
  }

  /** The number of entries in the cache (bounded by {@value #MAX_ENTRIES}). */
  public int cacheSize() {
    synchronized (lock) {
      return cache.size();
    }
  }

  /** The number of addresses being asked for (bounded by {@value #MAX_PENDING}). */
  public int pendingCount() {
    synchronized (lock) {
      return pending.size();
    }
  }

  private MacAddress lookupLocked(Ipv4Address address) {
    Entry e = cache.get(address);
    if (e == null) {
      return null;
    }
    if (e.expires - scheduler.nanoTime() <= 0) {
      cache.remove(address);
      return null;
    }
    return e.mac;
  }

  private void request(Pending p) {
    Ipv4Address src = addresses.isEmpty() ? Ipv4Address.ANY : addresses.get(0);
    synchronized (lock) {
      if (pending.get(p.address) != p) {
        return;
      }
      p.sent++;
      p.timer = scheduler.schedule(RETRY_NANOS, () -> retry(p));
    }
    send(OP_REQUEST, MacAddress.BROADCAST, new MacAddress(0), src, p.address);
  }

  private void retry(Pending p) {
    boolean again;
    synchronized (lock) {
      if (pending.get(p.address) != p) {
        return;
      }
      again = p.sent < MAX_REQUESTS;
      if (!again) {
        pending.remove(p.address);
      }
    }
    if (again) {
      request(p);
    } else {
      fail(p);
    }
  }

  private static void fail(Pending p) {
    for (Consumer<Optional<MacAddress>> w : p.waiters) {
      w.accept(Optional.empty());
    }
  }

  private void announce(Ipv4Address a) {
    // A gratuitous ARP request: sender and target are both our address.
    send(OP_REQUEST, MacAddress.BROADCAST, new MacAddress(0), a, a);
  }

  void input(ByteBuffer p) {
    if (p.remaining() < 28) {
      return;
    }
    int htype = p.getShort(0) & 0xffff;
    int ptype = p.getShort(2) & 0xffff;
    int hlen = p.get(4) & 0xff;
    int plen = p.get(5) & 0xff;
    int op = p.getShort(6) & 0xffff;
    if (htype != 1 || ptype != 0x0800 || hlen != 6 || plen != 4 || (op != OP_REQUEST && op != OP_REPLY)) {
      return;
    }
    MacAddress sha = EthernetLayer.getMac(p, 8);
    Ipv4Address spa = new Ipv4Address(p.getInt(14));
    Ipv4Address tpa = new Ipv4Address(p.getInt(24));
    if (sha.isMulticast() || sha.bits() == 0 || spa.bits() == 0 || spa.bits() == -1) {
      return;
    }
    boolean forUs = addresses.contains(tpa);
    Pending done = null;
    synchronized (lock) {
      // RFC 826: update an existing entry; add one only if the packet was meant for us (or
      // answers a question we asked).
      boolean asked = pending.containsKey(spa);
      if (cache.containsKey(spa) || forUs || asked) {
        if (!cache.containsKey(spa) && cache.size() >= MAX_ENTRIES) {
          evictLocked();
        }
        cache.put(spa, new Entry(sha, scheduler.nanoTime() + ENTRY_LIFETIME_NANOS));
      }
      if (asked) {
        done = pending.remove(spa);
        if (done.timer != null) {
          done.timer.cancel();
        }
      }
    }
    if (done != null) {
      for (Consumer<Optional<MacAddress>> w : done.waiters) {
        w.accept(Optional.of(sha));
      }
    }
    if (op == OP_REQUEST && forUs && !spa.equals(tpa)) {
      send(OP_REPLY, sha, sha, tpa, spa);
    }
  }

  private void evictLocked() {
    long now = scheduler.nanoTime();
    Iterator<Entry> it = cache.values().iterator();
    boolean removed = false;
    while (it.hasNext()) {
      if (it.next().expires - now <= 0) {
        it.remove();
        removed = true;
      }
    }
    if (!removed) {
      // Least recently used first (access-ordered map).
      Iterator<Ipv4Address> k = cache.keySet().iterator();
      k.next();
      k.remove();
    }
  }

  private void send(int op, MacAddress ethDst, MacAddress tha, Ipv4Address spa, Ipv4Address tpa) {
    ByteBuffer b = ByteBuffer.allocate(28);
    b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) op);
    EthernetLayer.putMac(b, ethernet.mac());
    b.putInt(spa.bits());
    EthernetLayer.putMac(b, tha);
    b.putInt(tpa.bits());
    b.flip();
    try {
      ethernet.send(ethDst, Ethernet.ARP, b);
    } catch (IOException e) {
      // The interface is going away; ARP is best effort.
    }
  }
}
