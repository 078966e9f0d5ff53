package org.mirage4j.drivers.tap;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.Network;

/**
 * A {@link Network} over a Linux TAP device ({@code /dev/net/tun} with {@code IFF_TAP |
 * IFF_NO_PI}): the NIC of the {@code unix} target when the direct stack is linked.
 *
 * <p>{@link #connect()} attaches to the interface, creating it if it does not exist (which needs
 * CAP_NET_ADMIN; an interface made beforehand with {@code ip tuntap add dev NAME mode tap user U}
 * does not). The kernel's side of the TAP interface is the unikernel's neighbour: give it an address
 * on the unikernel's network and bring it up. The stack behind this network is a host of its own, so
 * it uses its own MAC address (a random locally administered one), not the interface's.
 *
 * <p>Frames move with one copy each way, between the caller's buffer and a direct buffer that the
 * kernel reads or writes (none when the caller's buffer is itself direct).
 */
public final class TapNetwork implements Network {

  private static final long TUNSETIFF = 0x400454caL;
  private static final short IFF_TAP = 0x0002;
  private static final short IFF_NO_PI = 0x1000;
  private static final int IFNAMSIZ = 16;
  private static final int POLL_MILLIS = 100;

  private final String interfaceName;
  private final MacAddress mac;
  private volatile int fd = -1;
  private volatile boolean closed;
  private int mtu = 1500;
  private final ByteBuffer rx = ByteBuffer.allocateDirect(65536).order(ByteOrder.BIG_ENDIAN);
  private final ByteBuffer tx = ByteBuffer.allocateDirect(65536).order(ByteOrder.BIG_ENDIAN);
  private final Object sendLock = new Object();
  private final Object receiveLock = new Object();

  /**
   * @param interfaceName the TAP interface, e.g. {@code tap0} (at most 15 characters)
   */
  public TapNetwork(String interfaceName) {
    if (interfaceName == null || interfaceName.isEmpty()
        || interfaceName.getBytes(StandardCharsets.US_ASCII).length >= IFNAMSIZ) {
      throw new IllegalArgumentException("a Linux interface name has 1 to 15 characters: " + interfaceName);
    }
    this.interfaceName = interfaceName;
    byte[] m = new byte[6];
    new SecureRandom().nextBytes(m);
    m[0] = (byte) ((m[0] & 0xfe) | 0x02); // unicast, locally administered
    this.mac = MacAddress.of(m);
  }

  /** The interface name. */
  public String interfaceName() {
    return interfaceName;
  }

  @Override
  public void connect() throws IOException {
    int f = LibC.INSTANCE.open("/dev/net/tun", LibC.O_RDWR | LibC.O_CLOEXEC);
    if (f < 0) {
      throw new IOException("cannot open /dev/net/tun: " + error());
    }
    byte[] ifr = new byte[40];
    byte[] name = interfaceName.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, ifr, 0, name.length);
    short flags = (short) (IFF_TAP | IFF_NO_PI);
    ifr[16] = (byte) flags; // little- and big-endian hosts: write in native order
    ifr[17] = (byte) (flags >>> 8);
    if (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN) {
      ifr[16] = (byte) (flags >>> 8);
      ifr[17] = (byte) flags;
    }
    if (LibC.INSTANCE.ioctl(f, new NativeLong(TUNSETIFF), ifr) < 0) {
      String e = error();
      LibC.INSTANCE.close(f);
      throw new IOException("cannot attach to TAP interface " + interfaceName + ": " + e
          + " (creating one needs CAP_NET_ADMIN)");
    }
    mtu = interfaceMtu(name);
    fd = f;
  }

  /** The interface's MTU (SIOCGIFMTU in the calling thread's namespace), 1500 if unknown. */
  private static int interfaceMtu(byte[] name) {
    int s = LibC.INSTANCE.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
    if (s < 0) {
      return 1500;
    }
    try {
      byte[] ifr = new byte[40];
      System.arraycopy(name, 0, ifr, 0, name.length);
      if (LibC.INSTANCE.ioctl(s, new NativeLong(LibC.SIOCGIFMTU), ifr) < 0) {
        return 1500;
      }
      int m = ByteBuffer.wrap(ifr).order(ByteOrder.nativeOrder()).getInt(16);
      return m >= 68 && m <= 65535 ? m : 1500;
    } finally {
      LibC.INSTANCE.close(s);
    }
  }

  @Override
  public MacAddress mac() {
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
        throw new IOException("TAP interface " + interfaceName + " is closed");
      }
      Pointer p;
      if (frame.isDirect()) {
        p = Native.getDirectBufferPointer(frame).share(frame.position());
      } else {
        tx.clear();
        tx.put(frame.duplicate());
        p = Native.getDirectBufferPointer(tx);
      }
      long w = LibC.INSTANCE.write(f, p, new NativeLong(n)).longValue();
      if (w < 0) {
        throw new IOException("write to " + interfaceName + " failed: " + error());
      }
      frame.position(frame.limit());
    }
  }

  @Override
  public int receive(ByteBuffer into) throws IOException {
    synchronized (receiveLock) {
      byte[] pfd = new byte[8];
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
          if (errno == 4) { // EINTR
            continue;
          }
          throw new IOException("poll on " + interfaceName + " failed: " + LibC.INSTANCE.strerror(errno));
        }
        if (r == 0) {
          continue;
        }
        boolean direct = into.isDirect() && into.remaining() >= mtu + 14;
        Pointer target = direct
            ? Native.getDirectBufferPointer(into).share(into.position())
            : Native.getDirectBufferPointer(rx);
        long n = LibC.INSTANCE.read(f, target, new NativeLong(direct ? into.remaining() : rx.capacity()))
            .longValue();
        if (n < 0) {
          int errno = Native.getLastError();
          if (errno == 4 || errno == 11) { // EINTR, EAGAIN
            continue;
          }
          throw new IOException("read from " + interfaceName + " failed: " + LibC.INSTANCE.strerror(errno));
        }
        if (direct) {
          into.position(into.position() + (int) n); // read straight into the caller's buffer
          return (int) n;
        }
        rx.clear().limit((int) n);
        int len = (int) Math.min(n, into.remaining());
        rx.limit(len);
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
}
