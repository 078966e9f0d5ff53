package org.mirage4j.drivers.direct.ipv6;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.MacAddress;
import org.mirage4j.drivers.direct.time.Scheduler;

/**
 * The neighbour cache and address resolution of RFC 4861 (7.2, 7.3): entries go INCOMPLETE
 * (multicast solicitations, once a second, three at most), REACHABLE (for the reachable time after
 * a solicited advertisement), STALE, DELAY (5 s after a packet went to a stale entry), PROBE
 * (unicast solicitations, three at most, then the entry is deleted). Resolution never blocks: a
 * caller gives a continuation, run once the address is known or given up.
 *
 * <p>Bounded: at most {@link #MAX_ENTRIES} entries (the least recently used that is not being
 * resolved goes first), {@link #MAX_INCOMPLETE} being resolved, {@link #MAX_WAITERS} packets
 * waiting per entry; a stale entry unused for {@link #STALE_LIFETIME_NANOS} is deleted. Not
 * thread-safe: the IPv6 layer's lock guards it.
 */
public final class Neighbours {

  public static final int MAX_ENTRIES = 1024;
  public static final int MAX_INCOMPLETE = 256;
  public static final int MAX_WAITERS = 16;
  public static final int MAX_MULTICAST_SOLICIT = 3;
  public static final int MAX_UNICAST_SOLICIT = 3;
  public static final long RETRANS_TIMER_NANOS = Duration.ofSeconds(1).toNanos();
  public static final long DELAY_FIRST_PROBE_NANOS = Duration.ofSeconds(5).toNanos();
  public static final long REACHABLE_TIME_NANOS = Duration.ofSeconds(30).toNanos();
  public static final long STALE_LIFETIME_NANOS = Duration.ofSeconds(60).toNanos();

  /** RFC 4861 7.3.2. */
  public enum State { INCOMPLETE, REACHABLE, STALE, DELAY, PROBE }

  /** Sends a neighbour solicitation for {@code target}; {@code to} is null for multicast. */
  public interface Solicitor {
    void solicit(Ipv6Address target, MacAddress to);
  }

  private static final class Entry {
    State state;
    MacAddress mac;
    boolean router;
    long reachableUntil;
    long lastUsed;
    int probes;
    Scheduler.Timer timer;
    final List<Consumer<Optional<MacAddress>>> waiters = new ArrayList<>();
  }

  private final Scheduler scheduler;
  private final Solicitor solicitor;
  private final LinkedHashMap<Ipv6Address, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private int incomplete;
  private long reachableTime = REACHABLE_TIME_NANOS;
  private long retransTimer = RETRANS_TIMER_NANOS;

  public Neighbours(Scheduler scheduler, Solicitor solicitor) {
    this.scheduler = scheduler;
    this.solicitor = solicitor;
  }

  /** The largest reachable time a router may set (RFC 4861 6.2.1, MAX_REACHABLE_TIME). */
  public static final long MAX_REACHABLE_TIME_NANOS = Duration.ofHours(1).toNanos();
  /** The largest retransmission timer taken from a router (RFC 4861 sets none; Linux neither). */
  public static final long MAX_RETRANS_TIMER_NANOS = Duration.ofSeconds(60).toNanos();

  /**
   * Sets the times a router advertised (RFC 4861 6.3.4); zero leaves a value as it is, values
   * beyond {@link #MAX_REACHABLE_TIME_NANOS} and {@link #MAX_RETRANS_TIMER_NANOS} are ignored.
   */
  public void times(long reachableNanos, long retransNanos) {
    if (reachableNanos > 0 && reachableNanos <= MAX_REACHABLE_TIME_NANOS) {
      reachableTime = reachableNanos;
    }
    if (retransNanos > 0 && retransNanos <= MAX_RETRANS_TIMER_NANOS) {
      retransTimer = retransNanos;
    }
  }

  /** Entries now. */
  public int size() {
    return entries.size();
  }

  /** Entries being resolved now. */
  public int incompleteCount() {
    return incomplete;
  }

  /** The state of {@code ip}'s entry, if any (STALE once the reachable time passed). */
  public Optional<State> state(Ipv6Address ip) {
    Entry e = entries.get(ip);
    if (e == null) {
      return Optional.empty();
    }
    age(e, scheduler.nanoTime());
    return Optional.of(e.state);
  }

  /** The link-layer address of {@code ip}, if known. */
  public Optional<MacAddress> cached(Ipv6Address ip) {
    Entry e = entries.get(ip);
    return e == null || e.mac == null ? Optional.empty() : Optional.of(e.mac);
  }

  /**
   * Finds the link-layer address of {@code ip} and runs {@code then} with it (at once when known),
   * or with empty when resolution fails or the cache is full of entries being resolved.
   */
  public void resolve(Ipv6Address ip, Consumer<Optional<MacAddress>> then) {
    long now = scheduler.nanoTime();
    Entry e = entries.get(ip);
    if (e != null && e.mac != null) {
      e.lastUsed = now;
      age(e, now);
      if (e.state == State.STALE) {
        // RFC 4861 7.3.3: a packet to a stale neighbour starts the delay before probing.
        e.state = State.DELAY;
        e.timer = scheduler.schedule(DELAY_FIRST_PROBE_NANOS, () -> delayOver(ip, e));
      }
      then.accept(Optional.of(e.mac));
      return;
    }
    if (e != null) { // INCOMPLETE
      if (e.waiters.size() < MAX_WAITERS) {
        e.waiters.add(then);
      } else {
        then.accept(Optional.empty());
      }
      return;
    }
    if (incomplete >= MAX_INCOMPLETE || !makeRoom()) {
      then.accept(Optional.empty());
      return;
    }
    Entry n = new Entry();
    n.state = State.INCOMPLETE;
    n.lastUsed = now;
    n.waiters.add(then);
    entries.put(ip, n);
    incomplete++;
    n.probes = 1;
    solicitor.solicit(ip, null);
    n.timer = scheduler.schedule(retransTimer, () -> incompleteTimeout(ip, n));
  }

  private void incompleteTimeout(Ipv6Address ip, Entry e) {
    if (entries.get(ip) != e || e.state != State.INCOMPLETE) {
      return;
    }
    if (e.probes >= MAX_MULTICAST_SOLICIT) {
      remove(ip, e);
      return;
    }
    e.probes++;
    solicitor.solicit(ip, null);
    e.timer = scheduler.schedule(retransTimer, () -> incompleteTimeout(ip, e));
  }

  private void delayOver(Ipv6Address ip, Entry e) {
    if (entries.get(ip) != e || e.state != State.DELAY) {
      return;
    }
    e.state = State.PROBE;
    e.probes = 1;
    solicitor.solicit(ip, e.mac);
    e.timer = scheduler.schedule(retransTimer, () -> probeTimeout(ip, e));
  }

  private void probeTimeout(Ipv6Address ip, Entry e) {
    if (entries.get(ip) != e || e.state != State.PROBE) {
      return;
    }
    if (e.probes >= MAX_UNICAST_SOLICIT) {
      remove(ip, e);
      return;
    }
    e.probes++;
    solicitor.solicit(ip, e.mac);
    e.timer = scheduler.schedule(retransTimer, () -> probeTimeout(ip, e));
  }

  /**
   * A solicitation, router solicitation or router advertisement from {@code ip} carried its
   * link-layer address (RFC 4861 7.2.3, 6.3.4): create a STALE entry, or update one whose address
   * differs.
   */
  public void learn(Ipv6Address ip, MacAddress mac, boolean isRouter) {
    long now = scheduler.nanoTime();
    Entry e = entries.get(ip);
    if (e == null) {
      if (!makeRoom()) {
        return;
      }
      e = new Entry();
      e.state = State.STALE;
      e.mac = mac;
      e.lastUsed = now;
      e.router = isRouter;
      entries.put(ip, e);
      return;
    }
    if (isRouter) {
      e.router = true;
    }
    if (e.state == State.INCOMPLETE) {
      complete(ip, e, mac, State.STALE, now);
    } else if (!mac.equals(e.mac)) {
      e.mac = mac;
      e.state = State.STALE;
      cancelTimer(e);
    }
  }

  /** A neighbour advertisement for {@code target} arrived (RFC 4861 7.2.5). */
  public void advertised(Ipv6Address target, MacAddress tlla, boolean solicited, boolean override,
      boolean isRouter) {
    long now = scheduler.nanoTime();
    Entry e = entries.get(target);
    if (e == null) {
      return; // unsolicited advertisements create no entries
    }
    if (e.state == State.INCOMPLETE) {
      if (tlla == null) {
        return;
      }
      e.router = isRouter;
      complete(target, e, tlla, solicited ? State.REACHABLE : State.STALE, now);
      return;
    }
    age(e, now);
    boolean differs = tlla != null && !tlla.equals(e.mac);
    if (!override && differs) {
      if (e.state == State.REACHABLE) {
        e.state = State.STALE;
      }
      return;
    }
    if (tlla != null) {
      e.mac = tlla;
    }
    if (solicited) {
      e.state = State.REACHABLE;
      e.reachableUntil = now + reachableTime;
      cancelTimer(e);
    } else if (differs) {
      e.state = State.STALE;
      cancelTimer(e);
    }
    e.router = isRouter;
  }

  private void complete(Ipv6Address ip, Entry e, MacAddress mac, State state, long now) {
    cancelTimer(e);
    incomplete--;
    e.mac = mac;
    e.state = state;
    e.reachableUntil = now + reachableTime;
    List<Consumer<Optional<MacAddress>>> w = new ArrayList<>(e.waiters);
    e.waiters.clear();
    for (Consumer<Optional<MacAddress>> c : w) {
      c.accept(Optional.of(mac));
    }
  }

  /** Deletes stale entries unused for {@link #STALE_LIFETIME_NANOS}; returns the next deadline. */
  public long expire(long now) {
    long next = Long.MAX_VALUE;
    Iterator<Map.Entry<Ipv6Address, Entry>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      Entry e = it.next().getValue();
      age(e, now);
      if (e.state != State.STALE) {
        // REACHABLE turns STALE at reachableUntil; the others end by their own timers, after
        // which a later sweep must still find them
        next = Math.min(next, e.state == State.REACHABLE
            ? e.reachableUntil + STALE_LIFETIME_NANOS : now + STALE_LIFETIME_NANOS);
        continue;
      }
      long deadline = Math.max(e.lastUsed, e.reachableUntil) + STALE_LIFETIME_NANOS;
      if (deadline <= now) {
        it.remove();
      } else {
        next = Math.min(next, deadline);
      }
    }
    return next;
  }

  /** Drops every entry (the layer is closing). */
  public void clear() {
    for (Map.Entry<Ipv6Address, Entry> e : new ArrayList<>(entries.entrySet())) {
      remove(e.getKey(), e.getValue());
    }
  }

  private void age(Entry e, long now) {
    if (e.state == State.REACHABLE && now >= e.reachableUntil) {
      e.state = State.STALE;
    }
  }

  /** Makes room for one entry; false if every entry is being resolved. */
  private boolean makeRoom() {
    if (entries.size() < MAX_ENTRIES) {
      return true;
    }
    for (Map.Entry<Ipv6Address, Entry> e : entries.entrySet()) { // least recently used first
      if (e.getValue().state != State.INCOMPLETE) {
        remove(e.getKey(), e.getValue());
        return true;
      }
    }
    return false;
  }

  private void remove(Ipv6Address ip, Entry e) {
    if (entries.get(ip) == e) {
      entries.remove(ip);
    }
    cancelTimer(e);
    if (e.state == State.INCOMPLETE) {
      incomplete--;
      List<Consumer<Optional<MacAddress>>> w = new ArrayList<>(e.waiters);
      e.waiters.clear();
      for (Consumer<Optional<MacAddress>> c : w) {
        c.accept(Optional.empty());
      }
    }
  }

  private static void cancelTimer(Entry e) {
    if (e.timer != null) {
      e.timer.cancel();
      e.timer = null;
    }
  }
}
