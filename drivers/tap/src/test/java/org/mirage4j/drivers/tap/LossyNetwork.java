package org.mirage4j.drivers.tap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.Network;

/**
 * Drops a fraction of the frames going either way through a real network, with a fixed seed: loss
 * where the kernel has no {@code tc netem}.
 */
final class LossyNetwork implements Network {
  private final Network inner;
  private final Random random = new Random(1234);
  volatile double loss;
  final AtomicLong dropped = new AtomicLong();

  LossyNetwork(Network inner) {
    this.inner = inner;
  }

  private boolean drop() {
    synchronized (random) {
      if (loss > 0 && random.nextDouble() < loss) {
        dropped.incrementAndGet();
        return true;
      }
      return false;
    }
  }

  @Override
  public MacAddress mac() {
    return inner.mac();
  }

  @Override
  public int mtu() {
    return inner.mtu();
  }

  @Override
  public void send(ByteBuffer frame) throws IOException {
    if (drop()) {
      frame.position(frame.limit());
      return;
    }
    inner.send(frame);
  }

  @Override
  public int receive(ByteBuffer into) throws IOException {
    while (true) {
      int start = into.position();
      int n = inner.receive(into);
      if (n < 0 || !drop()) {
        return n;
      }
      into.position(start);
    }
  }

  @Override
  public void connect() throws IOException {
    inner.connect();
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }
}
