package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.mirage4j.api.Arp;
import org.mirage4j.api.Ethernet;
import org.mirage4j.api.Ipv4;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.MacAddress;
import org.mirage4j.drivers.direct.ip.Reassembly;
import org.mirage4j.drivers.direct.time.RealTimeScheduler;
import org.mirage4j.drivers.direct.time.Scheduler;
import org.mirage4j.drivers.direct.wire.Checksum;

/**
 * What the static and the DHCP IPv4 layers share: header parsing and checks, routing to the next
 * hop, ARP resolution without blocking, fragmentation, and reassembly with limits on the number of
 * datagrams in reassembly, the bytes they hold and their age.
 */
abstract class Ipv4Base implements Ipv4 {

  /** Most datagrams in reassembly at once. */
  static final int MAX_REASSEMBLIES = 64;
  /** Most bytes held by all datagrams in reassembly. */
  static final int MAX_REASSEMBLY_BYTES = 1 << 20;
  /** How long an incomplete datagram is kept (RFC 791 suggests 15 s; Linux uses 30 s). */
  static final long REASSEMBLY_TIMEOUT_NANOS = Duration.ofSeconds(30).toNanos();

  final Ethernet ethernet;
  final Arp arp;
  final Scheduler scheduler;
  private final java.util.concurrent.atomic.AtomicReferenceArray<Ipv4.Listener> listeners =
      new java.util.concurrent.atomic.AtomicReferenceArray<>(256);
  private final AtomicInteger ident = new AtomicInteger();
  private final Reassembly<Key> reassembly;
  volatile Ipv4Prefix prefix;
  volatile List<Ipv4Address> gateways = List.of();

  private record Key(int src, int dst, int protocol, int id) {}

  Ipv4Base(Ethernet ethernet, Arp arp) {
    this.ethernet = ethernet;
    this.arp = arp;
    this.scheduler = arp instanceof ArpLayer a ? a.scheduler() : RealTimeScheduler.system();
    this.reassembly = new Reassembly<>(scheduler, MAX_REASSEMBLIES, MAX_REASSEMBLY_BYTES,
        REASSEMBLY_TIMEOUT_NANOS, 65535 - 20);
  }

  /** The scheduler of the layers above (the ARP layer's). */
  public Scheduler scheduler() {
    return scheduler;
  }

  @Override
  public Ipv4Prefix prefix() {
    Ipv4Prefix p = prefix;
    return p != null ? p : new Ipv4Prefix(Ipv4Address.ANY, 0);
  }

  @Override
  public Optional<Ipv4Address> gateway() {
    List<Ipv4Address> g = gateways;
    return g.isEmpty() ? Optional.empty() : Optional.of(g.get(0));
  }

  @Override
  public int mtu() {
    return ethernet.mtu() - 20;
  }

  @Override
  public void listen(int protocol, Ipv4.Listener listener) {
    listeners.set(protocol & 0xff, listener);
  }

  /** Datagrams currently in reassembly (bounded by {@value #MAX_REASSEMBLIES}). */
  public int reassemblyCount() {
    return reassembly.count();
  }

  /** Bytes held by datagrams in reassembly (bounded by {@value #MAX_REASSEMBLY_BYTES}). */
  public int reassemblyBytes() {
    return reassembly.bytes();
  }

  @Override
  public void send(Ipv4Address destination, int protocol, ByteBuffer payload) throws IOException {
    Ipv4Prefix p = prefix;
    if (p == null) {
      throw new IOException("no IPv4 address configured yet");
    }
    Ipv4Address nextHop;
    MacAddress fixed = null;
    if (destination.bits() == -1 || destination.equals(p.broadcast())) {
      fixed = MacAddress.BROADCAST;
      nextHop = destination;
    } else if ((destination.bits() >>> 28) == 0xe) {
      fixed = new MacAddress(0x01005e000000L | (destination.bits() & 0x7fffff));
      nextHop = destination;
    } else if (p.contains(destination)) {
      nextHop = destination;
    } else {
      List<Ipv4Address> g = gateways;
      if (g.isEmpty()) {
        throw new NoRouteToHostException("no route to " + destination + " (no gateway)");
      }
      nextHop = g.get(0);
    }
    sendVia(p.address(), destination, protocol, payload, nextHop, fixed);
  }

  /** Sends with an explicit source, to {@code nextHop} or to the fixed MAC when given. */
  void sendVia(Ipv4Address source, Ipv4Address destination, int protocol, ByteBuffer payload,
      Ipv4Address nextHop, MacAddress fixed) throws IOException {
    int len = payload.remaining();
    if (len > 65535 - 20) {
      throw new IOException("datagram payload too long: " + len);
    }
    int id = ident.incrementAndGet() & 0xffff;
    int maxPayload = ((ethernet.mtu() - 20) / 8) * 8;
    List<ByteBuffer> packets = new ArrayList<>();
    ByteBuffer data = payload.duplicate();
    if (len <= ethernet.mtu() - 20) {
      packets.add(packet(source, destination, protocol, id, 0, false, data));
    } else {
      int off = 0;
      while (off < len) {
        int n = Math.min(maxPayload, len - off);
        ByteBuffer part = data.slice(data.position() + off, n);
        packets.add(packet(source, destination, protocol, id, off, off + n < len, part));
        off += n;
      }
    }
    if (fixed != null) {
      transmit(fixed, packets);
      return;
    }
    if (arp instanceof ArpLayer a) {
      a.query(nextHop, mac -> mac.ifPresent(m -> transmitQuietly(m, packets)));
    } else {
      transmit(arp.resolve(nextHop, Duration.ofSeconds(3)), packets);
    }
  }

  private void transmitQuietly(MacAddress mac, List<ByteBuffer> packets) {
    try {
      transmit(mac, packets);
    } catch (IOException e) {
      // Sent after resolution completed; like a lost packet.
    }
  }

  private void transmit(MacAddress mac, List<ByteBuffer> packets) throws IOException {
    for (ByteBuffer b : packets) {
      ethernet.send(mac, Ethernet.IPV4, b);
    }
  }

  private static ByteBuffer packet(Ipv4Address src, Ipv4Address dst, int protocol, int id,
      int offset, boolean more, ByteBuffer payload) {
    int n = payload.remaining();
    ByteBuffer b = ByteBuffer.allocate(20 + n);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + n)).putShort((short) id);
    b.putShort((short) ((more ? 0x2000 : 0) | (offset >>> 3)));
    b.put((byte) 64).put((byte) protocol).putShort((short) 0);
    b.putInt(src.bits()).putInt(dst.bits());
    b.putShort(10, (short) Checksum.finish(Checksum.add(0, b, 0, 20)));
    b.put(payload.duplicate());
    b.flip();
    return b;
  }

  /** Lets a subclass take datagrams before the protocol listeners (DHCP replies). */
  boolean intercept(Ipv4Address src, Ipv4Address dst, int protocol, ByteBuffer payload) {
    return false;
  }

  /** Handles one received datagram (an Ethernet payload). */
  void input(ByteBuffer p) {
    int avail = p.remaining();
    if (avail < 20) {
      return;
    }
    int vihl = p.get(0) & 0xff;
    int ihl = (vihl & 0xf) * 4;
    if ((vihl >>> 4) != 4 || ihl < 20) {
      return;
    }
    int total = p.getShort(2) & 0xffff;
    if (total < ihl || total > avail) {
      return;
    }
    if (Checksum.finish(Checksum.add(0, p, 0, ihl)) != 0) {
      return;
    }
    int id = p.getShort(4) & 0xffff;
    int fragField = p.getShort(6) & 0xffff;
    int protocol = p.get(9) & 0xff;
    Ipv4Address src = new Ipv4Address(p.getInt(12));
    Ipv4Address dst = new Ipv4Address(p.getInt(16));
    if (src.bits() == -1 || (src.bits() >>> 28) == 0xe) {
      return;
    }
    Ipv4Prefix pre = prefix;
    boolean forUs = pre != null
        && (dst.equals(pre.address()) || dst.bits() == -1 || dst.equals(pre.broadcast()));
    ByteBuffer payload = p.slice(ihl, total - ihl);
    boolean more = (fragField & 0x2000) != 0;
    int offset = (fragField & 0x1fff) * 8;
    if (more || offset != 0) {
      if (!forUs) {
        return;
      }
      payload = reassembly.add(new Key(src.bits(), dst.bits(), protocol, id), offset, more, payload);
      if (payload == null) {
        return;
      }
    }
    if (intercept(src, dst, protocol, payload)) {
      return;
    }
    if (!forUs) {
      return;
    }
    Ipv4.Listener l = listeners.get(protocol);
    if (l != null) {
      l.onPacket(src, dst, payload);
    }
  }
}
