package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.Network;

/**
 * An in-memory Ethernet switch for tests: frames travel in virtual time (through a {@link
 * SimScheduler}) and may be dropped, duplicated, delayed and so reordered, all decided by a seeded
 * random generator.
 */
final class TestSwitch {

  final SimScheduler sim;
  private final Random random;
  private final List<Port> ports = new CopyOnWriteArrayList<>();
  volatile double loss;
  volatile double duplicate;
  volatile double reorder;
  volatile long latencyNanos = TimeUnit.MILLISECONDS.toNanos(1);
  volatile long jitterNanos = TimeUnit.MILLISECONDS.toNanos(2);
  /** Frames for which this returns true are dropped (after the random decisions). */
  volatile Predicate<byte[]> filter = f -> false;
  final AtomicLong delivered = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final List<byte[]> captured = new CopyOnWriteArrayList<>();
  volatile boolean capture;

  TestSwitch(SimScheduler sim, long seed) {
    this.sim = sim;
    this.random = new Random(seed);
  }

  Port port(long mac) {
    Port p = new Port(new MacAddress(mac));
    ports.add(p);
    return p;
  }

  boolean quiescent() {
    for (Port p : ports) {
      if (p.pending.get() != 0) {
        return false;
      }
    }
    return true;
  }

  private void forward(Port from, byte[] frame) {
    if (capture) {
      captured.add(frame.clone());
    }
    boolean drop;
    int copies;
    long delay;
    synchronized (random) {
      drop = random.nextDouble() < loss;
      copies = random.nextDouble() < duplicate ? 2 : 1;
      delay = latencyNanos + (random.nextDouble() < reorder ? (long) (random.nextDouble() * jitterNanos) : 0);
    }
    if (drop || filter.test(frame)) {
      dropped.incrementAndGet();
      return;
    }
    long dst = 0;
    for (int i = 0; i < 6; i++) {
      dst = (dst << 8) | (frame[i] & 0xff);
    }
    for (Port p : ports) {
      if (p == from) {
        continue;
      }
      if (((dst >>> 40) & 1) != 0 || p.mac.bits() == dst) { // group addresses flood
        for (int c = 0; c < copies; c++) {
          sim.schedule(delay + c * 1000L, () -> {
            p.pending.incrementAndGet();
            p.inbox.add(frame);
          });
        }
      }
    }
  }

  /** One switch port, seen by the stack as its {@link Network}. */
  final class Port implements Network {
    final MacAddress mac;
    final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    final AtomicInteger pending = new AtomicInteger();
    private volatile boolean closed;
    private boolean took;
    private static final int MTU = 1500;

    Port(MacAddress mac) {
      this.mac = mac;
    }

    @Override
    public MacAddress mac() {
      return mac;
    }

    @Override
    public int mtu() {
      return MTU;
    }

    @Override
    public void send(ByteBuffer frame) throws IOException {
      if (closed) {
        throw new IOException("port closed");
      }
      if (frame.remaining() > MTU + 14) {
        throw new IOException("frame too long: " + frame.remaining());
      }
      byte[] b = new byte[frame.remaining()];
      frame.duplicate().get(b);
      forward(this, b);
    }

    @Override
    public int receive(ByteBuffer into) throws IOException {
      if (took) {
        took = false;
        pending.decrementAndGet();
      }
      try {
        while (true) {
          if (closed) {
            return -1;
          }
          byte[] f = inbox.poll(50, TimeUnit.MILLISECONDS);
          if (f != null) {
            took = true;
            delivered.incrementAndGet();
            into.put(f);
            return f.length;
          }
        }
      } catch (InterruptedException e) {
        return -1;
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
