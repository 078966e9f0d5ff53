package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mirage4j.api.IpAddress;
import org.mirage4j.api.Ipv4;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv6;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.RandomSource;
import org.mirage4j.api.Udp;
import org.mirage4j.api.UdpSocket;
import org.mirage4j.drivers.direct.wire.Checksum;

/**
 * UDP (RFC 768) over the direct IPv4 layer, or over IPv4 and IPv6 (RFC 8200 8.1: the checksum is
 * mandatory there): checksums verified and generated, ephemeral ports chosen at random (RFC
 * 6056), a bounded receive queue per socket (datagrams beyond it are dropped). A socket bound to a
 * port takes datagrams of both families.
 */
public final class UdpLayer implements Udp {

  /** Datagrams a socket queues before dropping. */
  static final int QUEUE_LIMIT = 512;

  private final Ipv4 ipv4;
  private final Ipv6 ipv6;
  private final RandomSource random;
  private final Map<Integer, Socket> sockets = new ConcurrentHashMap<>();

  /** UDP over {@code ipv4}, choosing ephemeral ports with {@code random}. */
  public UdpLayer(Ipv4 ipv4, RandomSource random) {
    this(ipv4, null, random);
  }

  /** UDP over {@code ipv4} and {@code ipv6}, choosing ephemeral ports with {@code random}. */
  public UdpLayer(Ipv4 ipv4, Ipv6 ipv6, RandomSource random) {
    this.ipv4 = ipv4;
    this.ipv6 = ipv6;
    this.random = random;
  }

  @Override
  public void connect() {
    ipv4.listen(Ipv4.UDP, this::input);
    if (ipv6 != null) {
      ipv6.listen(Ipv6.UDP, this::input6);
    }
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
    deliver(src, sport, dport, p, len);
  }

  private void input6(Ipv6Address src, Ipv6Address dst, ByteBuffer p) {
    int n = p.remaining();
    if (n < 8) {
      return;
    }
    int len = p.getShort(4) & 0xffff;
    if (len < 8 || len > n || p.getShort(6) == 0) {
      return; // a zero checksum is not allowed over IPv6
    }
    long s = Checksum.pseudo6(src.high(), src.low(), dst.high(), dst.low(), Ipv6.UDP, len);
    if (Checksum.finish(Checksum.add(s, p, 0, len)) != 0) {
      return;
    }
    deliver(src, p.getShort(0) & 0xffff, p.getShort(2) & 0xffff, p, len);
  }

  private void deliver(IpAddress src, int sport, int dport, ByteBuffer p, int len) {
    Socket sock = sockets.get(dport);
    if (sock == null) {
      return;
    }
    byte[] data = new byte[len - 8];
    p.get(8, data);
    sock.offer(new InetSocketAddress(src.toInetAddress(), sport), data);
  }

  private static void seal(ByteBuffer b, long pseudoHeaderSum, int n) {
    int c = Checksum.finish(Checksum.add(pseudoHeaderSum, b, 0, 8 + n));
    b.putShort(6, (short) (c == 0 ? 0xffff : c));
    b.flip();
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
      if (destination.isUnresolved()) {
        throw new IOException("unresolved destination: " + destination);
      }
      int n = datagram.remaining();
      IpAddress to = IpAddress.of(destination.getAddress());
      if (n > (to instanceof Ipv4Address ? 65535 - 28 : 65535 - 8)) {
        throw new IOException("datagram too long: " + n);
      }
      ByteBuffer b = ByteBuffer.allocate(8 + n);
      b.putShort((short) port).putShort((short) destination.getPort()).putShort((short) (8 + n)).putShort((short) 0);
      b.put(datagram.duplicate());
      if (to instanceof Ipv4Address dst) {
        long s = Checksum.pseudo(ipv4.prefix().address().bits(), dst.bits(), Ipv4.UDP, 8 + n);
        seal(b, s, n);
        ipv4.send(dst, Ipv4.UDP, b);
      } else {
        Ipv6Address dst = (Ipv6Address) to;
        if (ipv6 == null) {
          throw new NoRouteToHostException("this stack has no IPv6: " + destination);
        }
        Ipv6Address src = ipv6.source(dst).orElseThrow(() -> new NoRouteToHostException(
            "no IPv6 address of this stack reaches " + destination));
        seal(b, Checksum.pseudo6(src.high(), src.low(), dst.high(), dst.low(), Ipv6.UDP, 8 + n), n);
        ipv6.send(src, dst, Ipv6.UDP, b);
      }
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
