package org.mirage4j.drivers.direct;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.Network;

/** A network that swallows what is sent and never receives: frames are injected by the test. */
final class SinkNetwork implements Network {
  final AtomicLong sent = new AtomicLong();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final MacAddress mac;

  SinkNetwork(long mac) {
    this.mac = new MacAddress(mac);
  }

  @Override
  public MacAddress mac() {
    return mac;
  }

  @Override
  public int mtu() {
    return 1500;
  }

  @Override
  public void send(ByteBuffer frame) {
    sent.incrementAndGet();
  }

  @Override
  public int receive(ByteBuffer into) throws java.io.IOException {
    try {
      closed.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return -1;
  }

  @Override
  public void close() {
    closed.countDown();
  }
}
