package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.mirage4j.api.Ethernet;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.Network;

/**
 * Ethernet II framing over a {@link Network}: {@link #connect()} starts a receive thread that reads
 * frames, keeps those addressed to this interface, to broadcast or to a multicast group joined
 * ({@link #joinMulticast}), and hands their payload to the listener registered for their EtherType.
 */
public final class EthernetLayer implements Ethernet {

  /** Length of an Ethernet II header. */
  public static final int HEADER = 14;

  private final Network network;
  private final Map<Integer, Listener> listeners = new ConcurrentHashMap<>();
  /** Multicast groups joined, with how many times each. */
  private final Map<MacAddress, Integer> groups = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong listenerFailures = new AtomicLong();
  private volatile boolean closed;
  private volatile Thread receiver;
  private volatile MacAddress mac;
  private final ThreadLocal<ByteBuffer> txBuffer =
      ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(HEADER + 1500));

  /** An Ethernet layer over {@code network}. */
  public EthernetLayer(Network network) {
    this.network = network;
  }

  @Override
  public void connect() throws IOException {
    mac = network.mac();
    Thread t = new Thread(this::receiveLoop, "mirage4j-ethernet-rx");
    t.setDaemon(true);
    receiver = t;
    t.start();
  }

  @Override
  public void close() {
    closed = true;
    Thread t = receiver;
    if (t != null) {
      t.interrupt();
    }
  }

  @Override
  public MacAddress mac() {
    MacAddress m = mac;
    return m != null ? m : network.mac();
  }

  @Override
  public int mtu() {
    return network.mtu();
  }

  @Override
  public void send(MacAddress destination, int etherType, ByteBuffer payload) throws IOException {
    int len = payload.remaining();
    if (len > mtu()) {
      throw new IOException("payload of " + len + " bytes exceeds the MTU of " + mtu());
    }
    // One reusable direct buffer per sending thread: a native network device can hand it to the
    // kernel without a further copy.
    ByteBuffer frame = txBuffer.get();
    if (frame.capacity() < HEADER + len) {
      frame = ByteBuffer.allocateDirect(HEADER + len);
      txBuffer.set(frame);
    }
    frame.clear();
    putMac(frame, destination);
    putMac(frame, mac());
    frame.putShort((short) etherType);
    frame.put(payload.duplicate());
    frame.flip();
    network.send(frame);
  }

  @Override
  public void listen(int etherType, Listener listener) {
    listeners.put(etherType & 0xffff, listener);
  }

  @Override
  public void joinMulticast(MacAddress group) {
    if (!group.isMulticast() || group.equals(MacAddress.BROADCAST)) {
      throw new IllegalArgumentException("not a multicast group address: " + group);
    }
    groups.merge(group, 1, Integer::sum);
  }

  @Override
  public void leaveMulticast(MacAddress group) {
    groups.computeIfPresent(group, (g, n) -> n > 1 ? n - 1 : null);
  }

  /** The multicast groups joined now. */
  public Set<MacAddress> multicastGroups() {
    return Set.copyOf(groups.keySet());
  }

  /** Frames ignored because they were malformed, not for us, or of an unhandled type. */
  public long droppedFrames() {
    return dropped.get();
  }

  /** Exceptions thrown by listeners and contained by the receive loop (0 in a healthy stack). */
  public long listenerFailures() {
    return listenerFailures.get();
  }

  /**
   * Processes one received frame (the remaining bytes of {@code frame}) as the receive thread does;
   * exceptions of the layers above are not caught here.
   */
  public void input(ByteBuffer frame) {
    ByteBuffer f = frame.slice();
    if (f.remaining() < HEADER) {
      dropped.incrementAndGet();
      return;
    }
    MacAddress dst = getMac(f, 0);
    MacAddress src = getMac(f, 6);
    int type = f.getShort(12) & 0xffff;
    if (!dst.equals(mac()) && !dst.equals(MacAddress.BROADCAST)
        && !(dst.isMulticast() && groups.containsKey(dst))) {
      dropped.incrementAndGet();
      return;
    }
    Listener l = listeners.get(type);
    if (l == null) {
      dropped.incrementAndGet();
      return;
    }
    f.position(HEADER);
    l.onFrame(src, dst, f.slice());
  }

  private void receiveLoop() {
    ByteBuffer buf = ByteBuffer.allocateDirect(65536 + HEADER);
    while (!closed) {
      buf.clear();
      int n;
      try {
        n = network.receive(buf);
      } catch (IOException e) {
        if (closed) {
          return;
        }
        dropped.incrementAndGet();
        continue;
      }
      if (n < 0) {
        return;
      }
      buf.limit(Math.min(n, buf.capacity())).position(0);
      try {
        input(buf);
      } catch (RuntimeException e) {
        listenerFailures.incrementAndGet();
      }
    }
  }

  static void putMac(ByteBuffer b, MacAddress m) {
    long v = m.bits();
    for (int s = 40; s >= 0; s -= 8) {
      b.put((byte) (v >>> s));
    }
  }

  static MacAddress getMac(ByteBuffer b, int at) {
    long v = 0;
    for (int i = 0; i < 6; i++) {
      v = (v << 8) | (b.get(at + i) & 0xff);
    }
    return new MacAddress(v);
  }
}
