package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.api.Arp;
import org.mirage4j.api.Ethernet;
import org.mirage4j.api.Ipv4;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.RandomSource;
import org.mirage4j.drivers.direct.time.Scheduler;
import org.mirage4j.drivers.direct.wire.Checksum;

/**
 * IPv4 whose address, netmask and routers come from a DHCP server (RFC 2131 client, RFC 2132
 * options). {@link #connect()} runs DISCOVER, OFFER, REQUEST, ACK (retransmitting with exponential
 * back-off, 4 s doubling to 64 s) and returns once a lease is held, or fails after {@link
 * #CONNECT_TIMEOUT}. The lease is renewed at T1 (unicast to the server), rebound at T2 (broadcast)
 * and dropped at expiry, after which discovery starts again. A NAK restarts discovery.
 */
public final class DhcpIpv4 extends Ipv4Base {

  /** How long {@link #connect()} waits for a lease. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

  static final int SERVER_PORT = 67;
  static final int CLIENT_PORT = 68;
  static final int DISCOVER = 1;
  static final int OFFER = 2;
  static final int REQUEST = 3;
  static final int ACK = 5;
  static final int NAK = 6;
  static final int RELEASE = 7;
  private static final int MAGIC = 0x63825363;

  enum State { INIT, SELECTING, REQUESTING, BOUND, RENEWING, REBINDING, STOPPED }

  private final RandomSource random;
  private final Object lock = new Object();
  private State state = State.INIT;
  private int xid;
  private long backoff;
  private Ipv4Address offered;
  private Ipv4Address server;
  private Scheduler.Timer retransmit;
  private final List<Scheduler.Timer> leaseTimers = new ArrayList<>();
  private long leaseSeconds;
  private int leases;

  /**
   * @param ethernet the link
   * @param arp resolves next hops and announces the leased address
   * @param random chooses transaction identifiers and retransmission jitter
   */
  public DhcpIpv4(Ethernet ethernet, Arp arp, RandomSource random) {
    super(ethernet, arp);
    this.random = random;
  }

  @Override
  public void connect() throws IOException {
    ethernet.listen(Ethernet.IPV4, (src, dst, payload) -> input(payload));
    synchronized (lock) {
      startDiscovery();
    }
    boolean[] timedOut = {false};
    Scheduler.Timer t = scheduler.schedule(CONNECT_TIMEOUT.toNanos(), () -> {
      synchronized (lock) {
        timedOut[0] = true;
        lock.notifyAll();
      }
    });
    synchronized (lock) {
      try {
        while (prefix == null && !timedOut[0] && state != State.STOPPED) {
          lock.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted waiting for a DHCP lease");
      } finally {
        t.cancel();
      }
      if (prefix == null) {
        throw new SocketTimeoutException("no DHCP lease within " + CONNECT_TIMEOUT.toSeconds() + " s");
      }
    }
  }

  @Override
  public void close() {
    Ipv4Address held = null;
    Ipv4Address srv;
    synchronized (lock) {
      if (prefix != null && (state == State.BOUND || state == State.RENEWING)) {
        held = prefix.address();
      }
      srv = server;
      state = State.STOPPED;
      cancelTimers();
      lock.notifyAll();
    }
    if (held != null && srv != null) {
      try {
        ByteBuffer m = message(RELEASE, held, null, srv);
        send(srv, Ipv4.UDP, udp(held, srv, m));
      } catch (IOException e) {
        // best effort
      }
    }
  }

  /** The client's state (for tests and diagnostics). */
  State state() {
    synchronized (lock) {
      return state;
    }
  }

  /** Leases obtained so far, including renewals. */
  public int leaseCount() {
    synchronized (lock) {
      return leases;
    }
  }

  // ---------------------------------------------------------------- state machine (lock held)

  private void startDiscovery() {
    cancelTimers();
    state = State.SELECTING;
    xid = (int) random.nextLong();
    backoff = Duration.ofSeconds(4).toNanos();
    offered = null;
    server = null;
    sendDiscover();
  }

  private void sendDiscover() {
    broadcast(message(DISCOVER, null, null, null));
    armRetransmit(this::sendDiscover);
  }

  private void sendRequest() {
    broadcast(message(REQUEST, null, offered, server));
    armRetransmit(this::sendRequest);
  }

  private void armRetransmit(Runnable again) {
    long jitter = random.nextInt(2_000_000_000) - 1_000_000_000L; // +-1 s (RFC 2131 4.1)
    long delay = Math.max(1_000_000_000L, backoff + jitter);
    backoff = Math.min(backoff * 2, Duration.ofSeconds(64).toNanos());
    int myXid = xid;
    State myState = state;
    retransmit = scheduler.schedule(delay, () -> {
      synchronized (lock) {
        if (xid == myXid && state == myState) {
          again.run();
        }
      }
    });
  }

  private void cancelTimers() {
    if (retransmit != null) {
      retransmit.cancel();
      retransmit = null;
    }
    for (Scheduler.Timer t : leaseTimers) {
      t.cancel();
    }
    leaseTimers.clear();
  }

  @Override
  boolean intercept(Ipv4Address src, Ipv4Address dst, int protocol, ByteBuffer p) {
    if (protocol != Ipv4.UDP || p.remaining() < 8 || (p.getShort(2) & 0xffff) != CLIENT_PORT) {
      return false;
    }
    int len = p.getShort(4) & 0xffff;
    if (len < 8 + 240 || len > p.remaining()) {
      return true;
    }
    ByteBuffer m = p.slice(8, len - 8);
    if ((m.get(0) & 0xff) != 2 || m.getInt(4) != xid || m.getInt(236) != MAGIC) {
      return true;
    }
    if (EthernetLayer.getMac(m, 28).bits() != ethernet.mac().bits()) {
      return true;
    }
    Ipv4Address yiaddr = new Ipv4Address(m.getInt(16));
    int type = -1;
    Ipv4Address serverId = null;
    Ipv4Address mask = null;
    List<Ipv4Address> routers = new ArrayList<>();
    long lease = -1;
    long t1 = -1;
    long t2 = -1;
    int i = 240;
    while (i < m.remaining()) {
      int code = m.get(i) & 0xff;
      if (code == 255) {
        break;
      }
      if (code == 0) {
        i++;
        continue;
      }
      if (i + 1 >= m.remaining()) {
        break;
      }
      int n = m.get(i + 1) & 0xff;
      int v = i + 2;
      if (v + n > m.remaining()) {
        break;
      }
      switch (code) {
        case 53 -> type = n >= 1 ? m.get(v) & 0xff : -1;
        case 54 -> serverId = n == 4 ? new Ipv4Address(m.getInt(v)) : null;
        case 1 -> mask = n == 4 ? new Ipv4Address(m.getInt(v)) : null;
        case 3 -> {
          for (int k = 0; k + 4 <= n; k += 4) {
            routers.add(new Ipv4Address(m.getInt(v + k)));
          }
        }
        case 51 -> lease = n == 4 ? m.getInt(v) & 0xffffffffL : -1;
        case 58 -> t1 = n == 4 ? m.getInt(v) & 0xffffffffL : -1;
        case 59 -> t2 = n == 4 ? m.getInt(v) & 0xffffffffL : -1;
        default -> { }
      }
      i = v + n;
    }
    synchronized (lock) {
      if (type == OFFER && state == State.SELECTING && serverId != null && yiaddr.bits() != 0) {
        offered = yiaddr;
        server = serverId;
        state = State.REQUESTING;
        if (retransmit != null) {
          retransmit.cancel();
        }
        backoff = Duration.ofSeconds(4).toNanos();
        sendRequest();
      } else if (type == ACK && (state == State.REQUESTING || state == State.RENEWING
          || state == State.REBINDING) && yiaddr.bits() != 0) {
        bind(yiaddr, mask, routers, serverId, lease, t1, t2);
      } else if (type == NAK && (state == State.REQUESTING || state == State.RENEWING
          || state == State.REBINDING)) {
        prefix = null;
        startDiscovery();
      }
    }
    return true;
  }

  private void bind(Ipv4Address address, Ipv4Address mask, List<Ipv4Address> routers,
      Ipv4Address serverId, long lease, long t1, long t2) {
    cancelTimers();
    int len = mask == null ? 24 : Integer.bitCount(mask.bits());
    Ipv4Prefix old = prefix;
    prefix = new Ipv4Prefix(address, len);
    gateways = List.copyOf(routers);
    if (serverId != null) {
      server = serverId;
    }
    state = State.BOUND;
    leases++;
    leaseSeconds = lease <= 0 ? 3600 : lease;
    if (!prefix.equals(old)) {
      Ipv4Prefix now = prefix;
      long seconds = leaseSeconds;
      System.getLogger("dhcp").log(System.Logger.Level.INFO, () -> "lease " + now + " from " + server
          + " for " + seconds + " s" + (gateways.isEmpty() ? "" : ", gateway " + gateways.get(0)));
    }
    long l = leaseSeconds * 1_000_000_000L;
    long renew = t1 > 0 ? t1 * 1_000_000_000L : l / 2;
    long rebind = t2 > 0 ? t2 * 1_000_000_000L : l * 7 / 8;
    leaseTimers.add(scheduler.schedule(renew, () -> leaseEvent(State.RENEWING)));
    leaseTimers.add(scheduler.schedule(rebind, () -> leaseEvent(State.REBINDING)));
    leaseTimers.add(scheduler.schedule(l, () -> leaseEvent(State.INIT)));
    lock.notifyAll();
    if (old == null || !old.address().equals(address)) {
      Ipv4Address announce = address;
      scheduler.schedule(0, () -> {
        try {
          arp.setAddresses(List.of(announce));
        } catch (IOException e) {
          // announcement is best effort
        }
      });
    }
  }

  private void leaseEvent(State next) {
    synchronized (lock) {
      if (state == State.STOPPED) {
        return;
      }
      switch (next) {
        case RENEWING -> {
          if (state != State.BOUND) {
            return;
          }
          state = State.RENEWING;
          xid = (int) random.nextLong();
          Ipv4Address me = prefix.address();
          try {
            send(server, Ipv4.UDP, udp(me, server, message(REQUEST, me, null, null)));
          } catch (IOException e) {
            // retried at T2 by broadcast
          }
        }
        case REBINDING -> {
          if (state != State.RENEWING && state != State.BOUND) {
            return;
          }
          state = State.REBINDING;
          xid = (int) random.nextLong();
          Ipv4Address me = prefix.address();
          try {
            sendVia(me, Ipv4Address.BROADCAST, Ipv4.UDP,
                udp(me, Ipv4Address.BROADCAST, message(REQUEST, me, null, null)), null,
                MacAddress.BROADCAST);
          } catch (IOException e) {
            // the lease runs out
          }
        }
        default -> {
          prefix = null;
          try {
            arp.setAddresses(List.of());
          } catch (IOException e) {
            // nothing to announce
          }
          startDiscovery();
        }
      }
    }
  }

  // ---------------------------------------------------------------- messages

  private ByteBuffer message(int type, Ipv4Address ciaddr, Ipv4Address requested, Ipv4Address serverId) {
    ByteBuffer b = ByteBuffer.allocate(300);
    b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid);
    b.putShort((short) 0).putShort((short) (ciaddr == null ? 0x8000 : 0)); // broadcast flag
    b.putInt(ciaddr == null ? 0 : ciaddr.bits()).putInt(0).putInt(0).putInt(0);
    EthernetLayer.putMac(b, ethernet.mac());
    b.position(236);
    b.putInt(MAGIC);
    b.put((byte) 53).put((byte) 1).put((byte) type);
    b.put((byte) 61).put((byte) 7).put((byte) 1);
    EthernetLayer.putMac(b, ethernet.mac());
    if (requested != null) {
      b.put((byte) 50).put((byte) 4).putInt(requested.bits());
    }
    if (serverId != null) {
      b.put((byte) 54).put((byte) 4).putInt(serverId.bits());
    }
    if (type == DISCOVER || type == REQUEST) {
      b.put((byte) 55).put((byte) 4).put((byte) 1).put((byte) 3).put((byte) 51).put((byte) 54);
    }
    b.put((byte) 255);
    b.position(0);
    return b;
  }

  private static ByteBuffer udp(Ipv4Address src, Ipv4Address dst, ByteBuffer payload) {
    int n = payload.remaining();
    ByteBuffer b = ByteBuffer.allocate(8 + n);
    b.putShort((short) CLIENT_PORT).putShort((short) SERVER_PORT).putShort((short) (8 + n))
        .putShort((short) 0).put(payload.duplicate());
    int c = Checksum.finish(Checksum.add(Checksum.pseudo(src.bits(), dst.bits(), Ipv4.UDP, 8 + n), b, 0, 8 + n));
    b.putShort(6, (short) (c == 0 ? 0xffff : c));
    b.flip();
    return b;
  }

  private void broadcast(ByteBuffer message) {
    try {
      sendVia(Ipv4Address.ANY, Ipv4Address.BROADCAST, Ipv4.UDP,
          udp(Ipv4Address.ANY, Ipv4Address.BROADCAST, message), null, MacAddress.BROADCAST);
    } catch (IOException e) {
      // retransmitted later
    }
  }
}
