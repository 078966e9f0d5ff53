package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mirage4j.api.Ipv4;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.RandomSource;
import org.mirage4j.api.Udp;
import org.mirage4j.api.UdpSocket;
import org.mirage4j.drivers.direct.wire.Checksum;

/**
 * UDP (RFC 768) over the direct IPv4 layer: checksums verified and generated, ephemeral ports
 * chosen at random (RFC 6056), a bounded receive queue per socket (datagrams beyond it are dropped).
 */
public final class UdpLayer implements Udp {

  /** Datagrams a socket queues before dropping. */
  static final int QUEUE_LIMIT = 512;

  private final Ipv4 ipv4;
  private final RandomSource random;
  private final Map<Integer, Socket> sockets = new ConcurrentHashMap<>();

  /** UDP over {@code ipv4}, choosing ephemeral ports with {@code random}. */
  public UdpLayer(Ipv4 ipv4, RandomSource random) {
    this.ipv4 = ipv4;
    this.random = random;
  }

  @Override
  public void connect() {
    ipv4.listen(Ipv4.UDP, this::input);
  }

  @Override
  public void close() {
    for (Socket s : sockets.values()) {
      s.close();
    }
  }

  @Override
  public UdpSocket bind(int port) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (port != 0) {
      Socket s = new Socket(port);
      if (sockets.putIfAbsent(port, s) != null) {
        throw new BindException("UDP port " + port + " is in use");
      }
      return s;
    }
    for (int i = 0; i < 65536; i++) {
      int p = 49152 + random.nextInt(16384);
      Socket s = new Socket(p);
      if (sockets.putIfAbsent(p, s) == null) {
        return s;
      }
    }
    throw new BindException("no free ephemeral UDP port");
  }

  /** Number of bound sockets. */
  public int socketCount() {
    return sockets.size();
  }

  private void input(Ipv4Address src, Ipv4Address dst, ByteBuffer p) {
    int n = p.remaining();
    if (n < 8) {
      return;
    }
    int sport = p.getShort(0) & 0xffff;
    int dport = p.getShort(2) & 0xffff;
    int len = p.getShort(4) & 0xffff;
    int sum = p.getShort(6) & 0xffff;
    if (len < 8 || len > n) {
      return;
    }
    if (sum != 0) {
      long s = Checksum.pseudo(src.bits(), dst.bits(), Ipv4.UDP, len);
      if (Checksum.finish(Checksum.add(s, p, 0, len)) != 0) {
        return;
      }
    }
    Socket sock = sockets.get(dport);
    if (sock == null) {
      return;
    }
    byte[] data = new byte[len - 8];
    p.get(8, data);
    sock.offer(new InetSocketAddress(src.toInetAddress(), sport), data);
  }

  private record Datagram(InetSocketAddress from, byte[] data) {}

  private final class Socket implements UdpSocket {
    private final int port;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private boolean closed;

    Socket(int port) {
      this.port = port;
    }

    synchronized void offer(InetSocketAddress from, byte[] data) {
      if (!closed && queue.size() < QUEUE_LIMIT) {
        queue.add(new Datagram(from, data));
        notifyAll();
      }
    }

    @Override
    public void send(InetSocketAddress destination, ByteBuffer datagram) throws IOException {
      synchronized (this) {
        if (closed) {
          throw new ClosedChannelException();
        }
      }
      if (!(destination.getAddress() instanceof java.net.Inet4Address a)) {
        throw new IOException("not an IPv4 destination: " + destination);
      }
      int n = datagram.remaining();
      if (n > 65535 - 28) {
        throw new IOException("datagram too long: " + n);
      }
      Ipv4Address dst = Ipv4Address.of(a);
      ByteBuffer b = ByteBuffer.allocate(8 + n);
      b.putShort((short) port).putShort((short) destination.getPort()).putShort((short) (8 + n)).putShort((short) 0);
      b.put(datagram.duplicate());
      long s = Checksum.pseudo(ipv4.prefix().address().bits(), dst.bits(), Ipv4.UDP, 8 + n);
      int c = Checksum.finish(Checksum.add(s, b, 0, 8 + n));
      b.putShort(6, (short) (c == 0 ? 0xffff : c));
      b.flip();
      ipv4.send(dst, Ipv4.UDP, b);
      datagram.position(datagram.limit());
    }

    @Override
    public synchronized InetSocketAddress receive(ByteBuffer into) throws IOException {
      while (queue.isEmpty() && !closed) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException();
        }
      }
      if (queue.isEmpty()) {
        throw new ClosedChannelException();
      }
      Datagram d = queue.poll();
      into.put(d.data, 0, Math.min(d.data.length, into.remaining()));
      return d.from;
    }

    @Override
    public int port() {
      return port;
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        queue.clear();
        notifyAll();
      }
      sockets.remove(port, this);
    }
  }
}
