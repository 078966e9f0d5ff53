package org.mirage4j.drivers.direct;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.Network;

/** A network that records what the stack sends; frames are injected by the test. */
final class CapturingNetwork implements Network {
  private final MacAddress mac;
  private final List<byte[]> sent = new ArrayList<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  CapturingNetwork(long mac) {
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
  public synchronized void send(ByteBuffer frame) {
    byte[] b = new byte[frame.remaining()];
    frame.duplicate().get(b);
    sent.add(b);
  }

  /** Takes the frames sent so far. */
  synchronized List<byte[]> drain() {
    List<byte[]> copy = new ArrayList<>(sent);
    sent.clear();
    return copy;
  }

  @Override
  public int receive(ByteBuffer into) {
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
