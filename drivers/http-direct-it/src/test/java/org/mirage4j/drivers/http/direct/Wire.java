package org.mirage4j.drivers.http.direct;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.LinkedBlockingQueue;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.Network;

/** Two {@link Network} ends joined by an in-memory Ethernet cable. */
final class Wire {

  private static final byte[] CLOSED = new byte[0];

  final End a = new End(MacAddress.parse("02:00:00:00:00:01"));
  final End b = new End(MacAddress.parse("02:00:00:00:00:02"));

  Wire() {
    a.peer = b;
    b.peer = a;
  }

  /** One end of the cable. */
  static final class End implements Network {
    private final MacAddress mac;
    private final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    private volatile End peer;
    private volatile boolean closed;

    End(MacAddress mac) {
      this.mac = mac;
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
    public void send(ByteBuffer frame) throws IOException {
      if (closed) {
        throw new ClosedChannelException();
      }
      if (frame.remaining() > mtu() + 14) {
        throw new IOException("frame of " + frame.remaining() + " bytes is longer than the MTU");
      }
      byte[] copy = new byte[frame.remaining()];
      frame.get(copy);
      if (!peer.closed) {
        peer.inbox.add(copy);
      }
    }

    @Override
    public int receive(ByteBuffer into) throws IOException {
      byte[] frame;
      try {
        frame = inbox.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException();
      }
      if (frame == CLOSED || closed) {
        inbox.add(CLOSED);
        return -1;
      }
      into.put(frame);
      return frame.length;
    }

    @Override
    public void close() {
      closed = true;
      inbox.add(CLOSED);
    }
  }
}
