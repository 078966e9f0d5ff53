package org.mirage4j.drivers.packet;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.Network;

/**
 * A {@link Network} over a raw {@code AF_PACKET} socket bound to one interface: the direct stack
 * speaks Ethernet on that interface itself, with the interface's own MAC address. On the {@code xen}
 * and {@code arm} targets this is the guest NIC that xen-netfront provides; on {@code unix} any
 * interface that has no kernel IPv4 configuration (one end of a veth pair, a dedicated NIC).
 *
 * <p>Needs CAP_NET_RAW. Frames the socket itself sends are not read back ({@code
 * PACKET_IGNORE_OUTGOING}, or filtered by packet type on older kernels). One copy each way between
 * the caller's buffer and a direct buffer (none when the caller's is direct).
 */
public class PacketSocketNetwork implements Network {

  private static final int IFNAMSIZ = 16;
  private static final int POLL_MILLIS = 100;

  private final String interfaceName;
  private volatile int fd = -1;
  private volatile boolean closed;
  private MacAddress mac;
  private int mtu = 1500;
  private final ByteBuffer rx = ByteBuffer.allocateDirect(65536);
  private final ByteBuffer tx = ByteBuffer.allocateDirect(65536);
  private final Object sendLock = new Object();
  private final Object receiveLock = new Object();
  // struct msghdr, iovec, sockaddr_ll and cmsghdr space for LP64 (x86_64, aarch64); receive thread only
  private final Memory name = new Memory(32);
  // struct msghdr, struct iovec and struct cmsghdr as the C ABI lays them out: pointers and size_t
  // are 8 bytes on 64-bit Linux and 4 on 32-bit (armv7) Linux; every field is at a multiple of that
  private static final int PTR = Native.POINTER_SIZE;
  private static final long CMSG_DATA = PTR + 8L; // after cmsg_len, cmsg_level and cmsg_type
  private final Memory iov = new Memory(2L * PTR);
  private final Memory control = new Memory(256);
  private final Memory msg = new Memory(7L * PTR);

  /**
   * @param interfaceName the interface to bind, e.g. {@code eth0}
   */
  public PacketSocketNetwork(String interfaceName) {
    if (interfaceName == null || interfaceName.isEmpty()
        || interfaceName.getBytes(StandardCharsets.US_ASCII).length >= IFNAMSIZ) {
      throw new IllegalArgumentException("a Linux interface name has 1 to 15 characters: " + interfaceName);
    }
    this.interfaceName = interfaceName;
  }

  /** The interface this network is bound to. */
  public String interfaceName() {
    return interfaceName;
  }

  /** The interface to bind; {@link NetfrontNetwork} resolves it late. */
  String resolveInterface() throws IOException {
    return interfaceName;
  }

  @Override
  public void connect() throws IOException {
    String name = resolveInterface();
    int index = LibC.INSTANCE.if_nametoindex(name);
    if (index == 0) {
      throw new IOException("no network interface named " + name + ": " + error());
    }
    int proto = Short.toUnsignedInt(Short.reverseBytes((short) LibC.ETH_P_ALL)); // htons
    if (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN) {
      proto = LibC.ETH_P_ALL;
    }
    int s = LibC.INSTANCE.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, proto);
    if (s < 0) {
      throw new IOException("cannot open a packet socket (needs CAP_NET_RAW): " + error());
    }
    // struct sockaddr_ll { u16 family; be16 protocol; s32 ifindex; u16 hatype; u8 pkttype; u8 halen; u8 addr[8]; }
    ByteBuffer sll = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
    sll.putShort(0, (short) LibC.AF_PACKET);
    sll.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) LibC.ETH_P_ALL);
    sll.order(ByteOrder.nativeOrder()).putInt(4, index);
    if (LibC.INSTANCE.bind(s, sll.array(), 20) < 0) {
      String e = error();
      LibC.INSTANCE.close(s);
      throw new IOException("cannot bind a packet socket to " + name + ": " + e);
    }
    LibC.INSTANCE.setsockopt(s, LibC.SOL_PACKET, LibC.PACKET_IGNORE_OUTGOING, new int[] {1}, 4);
    // Ask for each frame's status, to complete checksums the sender left to offload.
    LibC.INSTANCE.setsockopt(s, LibC.SOL_PACKET, LibC.PACKET_AUXDATA, new int[] {1}, 4);
    byte[] ifr = ifreq(name);
    if (LibC.INSTANCE.ioctl(s, new NativeLong(LibC.SIOCGIFHWADDR), ifr) < 0) {
      String e = error();
      LibC.INSTANCE.close(s);
      throw new IOException("cannot read the MAC address of " + name + ": " + e);
    }
    byte[] m = new byte[6];
    System.arraycopy(ifr, 18, m, 0, 6); // ifr_hwaddr.sa_data
    mac = MacAddress.of(m);
    ifr = ifreq(name);
    if (LibC.INSTANCE.ioctl(s, new NativeLong(LibC.SIOCGIFMTU), ifr) == 0) {
      mtu = ByteBuffer.wrap(ifr).order(ByteOrder.nativeOrder()).getInt(16);
    }
    fd = s;
  }

  private static byte[] ifreq(String name) {
    byte[] ifr = new byte[40];
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, ifr, 0, n.length);
    return ifr;
  }

  @Override
  public MacAddress mac() {
    if (mac == null) {
      throw new IllegalStateException("not connected");
    }
    return mac;
  }

  @Override
  public int mtu() {
    return mtu;
  }

  @Override
  public void send(ByteBuffer frame) throws IOException {
    int n = frame.remaining();
    if (n > mtu + 14) {
      throw new IOException("frame of " + n + " bytes exceeds MTU " + mtu + " + 14");
    }
    synchronized (sendLock) {
      int f = fd;
      if (closed || f < 0) {
        throw new IOException("packet socket on " + interfaceName + " is closed");
      }
      Pointer p;
      if (frame.isDirect()) {
        p = Native.getDirectBufferPointer(frame).share(frame.position());
      } else {
        tx.clear();
        tx.put(frame.duplicate());
        p = Native.getDirectBufferPointer(tx);
      }
      long w = LibC.INSTANCE.send(f, p, new NativeLong(n), 0).longValue();
      if (w < 0) {
        int errno = Native.getLastError();
        if (errno == 105 || errno == 11) { // ENOBUFS, EAGAIN: the queue is full, like a lost frame
          frame.position(frame.limit());
          return;
        }
        throw new IOException("send on " + interfaceName + " failed: " + LibC.INSTANCE.strerror(errno));
      }
      frame.position(frame.limit());
    }
  }

  @Override
  public int receive(ByteBuffer into) throws IOException {
    synchronized (receiveLock) {
      byte[] pfd = new byte[8];
      Pointer data = Native.getDirectBufferPointer(rx);
      while (true) {
        int f = fd;
        if (closed || f < 0) {
          return -1;
        }
        ByteBuffer.wrap(pfd).order(ByteOrder.nativeOrder()).putInt(0, f).putShort(4, LibC.POLLIN)
            .putShort(6, (short) 0);
        int r = LibC.INSTANCE.poll(pfd, new NativeLong(1), POLL_MILLIS);
        if (closed) {
          return -1;
        }
        if (r < 0) {
          int errno = Native.getLastError();
          if (errno == 4) {
            continue;
          }
          throw new IOException("poll on " + interfaceName + " failed: " + LibC.INSTANCE.strerror(errno));
        }
        if (r == 0) {
          continue;
        }
        boolean direct = into.isDirect() && into.remaining() >= mtu + 14;
        iov.setPointer(0, direct ? Native.getDirectBufferPointer(into).share(into.position()) : data);
        putSize(iov, PTR, direct ? into.remaining() : rx.capacity());
        msg.clear();
        msg.setPointer(0, name);
        msg.setInt(PTR, 32);
        msg.setPointer(2L * PTR, iov);
        putSize(msg, 3L * PTR, 1);
        msg.setPointer(4L * PTR, control);
        putSize(msg, 5L * PTR, control.size());
        long n = LibC.INSTANCE.recvmsg(f, msg, 0).longValue();
        if (n < 0) {
          int errno = Native.getLastError();
          if (errno == 4 || errno == 11) {
            continue;
          }
          throw new IOException("receive on " + interfaceName + " failed: " + LibC.INSTANCE.strerror(errno));
        }
        if ((name.getByte(10) & 0xff) == LibC.PACKET_OUTGOING) {
          continue; // our own transmission, on kernels without PACKET_IGNORE_OUTGOING
        }
        int status = 0;
        long controlLen = PTR == 8 ? msg.getLong(5L * PTR) : Integer.toUnsignedLong(msg.getInt(5L * PTR));
        if (controlLen >= CMSG_DATA + 4 && control.getInt(PTR) == LibC.SOL_PACKET
            && control.getInt(PTR + 4L) == LibC.PACKET_AUXDATA) {
          status = control.getInt(CMSG_DATA);
        }
        if (direct) {
          // received straight into the caller's buffer
          int len = (int) n;
          if ((status & LibC.TP_STATUS_CSUMNOTREADY) != 0) {
            Checksums.complete(into.slice(into.position(), len), len);
          }
          into.position(into.position() + len);
          return len;
        }
        int len = (int) Math.min(n, into.remaining());
        rx.clear().limit(len);
        if ((status & LibC.TP_STATUS_CSUMNOTREADY) != 0) {
          Checksums.complete(rx, len);
        }
        into.put(rx);
        return len;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (sendLock) {
      synchronized (receiveLock) {
        int f = fd;
        fd = -1;
        if (f >= 0) {
          LibC.INSTANCE.close(f);
        }
      }
    }
  }

  private static String error() {
    int errno = Native.getLastError();
    return LibC.INSTANCE.strerror(errno) + " (errno " + errno + ")";
  }

  /** Writes a {@code size_t} (the ABI's pointer width on Linux). */
  private static void putSize(Memory m, long offset, long value) {
    if (PTR == 8) {
      m.setLong(offset, value);
    } else {
      m.setInt(offset, (int) value);
    }
  }
}
