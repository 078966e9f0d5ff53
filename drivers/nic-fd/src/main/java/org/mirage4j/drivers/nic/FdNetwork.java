package org.mirage4j.drivers.nic;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.Network;

/**
 * A {@link Network} over a Linux file descriptor that moves one Ethernet frame per {@code read} and
 * {@code write}: the base of the TAP driver ({@code TapNetwork}) and the packet socket driver
 * ({@code PacketSocketNetwork}). A subclass opens the descriptor and says what the interface is;
 * this class does the rest the same way for both: the send path, the receive loop (a {@code poll}
 * with a 100 ms tick, so that {@link #close()} ends a blocked {@link #receive} within it), close.
 *
 * <p>Frames move with one copy each way, between the caller's buffer and a direct buffer that the
 * kernel reads or writes (none when the caller's buffer is itself direct and, for receiving, has
 * room for a whole frame).
 */
public abstract class FdNetwork implements Network {

  /** {@link #readFrame} returns this for a frame to ignore. */
  protected static final long SKIP = -2;

  private static final int POLL_MILLIS = 100;
  private static final int ETHERNET_HEADER = 14;

  private volatile int fd = -1;
  private volatile boolean closed;
  private volatile MacAddress mac;
  private volatile int mtu = Interfaces.DEFAULT_MTU;
  private final ByteBuffer rx = ByteBuffer.allocateDirect(65536).order(ByteOrder.BIG_ENDIAN);
  private final ByteBuffer tx = ByteBuffer.allocateDirect(65536).order(ByteOrder.BIG_ENDIAN);
  private final Object sendLock = new Object();
  private final Object receiveLock = new Object();

  /** A device with no MAC address until {@link #macAddress(MacAddress)} sets one. */
  protected FdNetwork() {}

  /**
   * Opens the device (called once, by {@link #connect()}), sets its {@linkplain #macAddress MAC}
   * and {@linkplain #mtu(int) MTU}, and returns its descriptor.
   */
  protected abstract int open() throws IOException;

  /** The device as messages name it, e.g. {@code TAP interface tap0}. */
  protected abstract String describe();

  /**
   * Reads one frame into native memory; the default is {@code read(2)}.
   *
   * @return the frame's length, {@link #SKIP} for a frame to ignore, or a negative value with
   *     errno set
   */
  protected long readFrame(int fd, Pointer buffer, int capacity) {
    return LibC.INSTANCE.read(fd, buffer, new NativeLong(capacity)).longValue();
  }

  /**
   * Fixes up the frame just read, in place, before the caller sees it: {@code length} bytes from
   * index {@code start} of {@code buffer} (absolute), beginning with the Ethernet header. The
   * default does nothing.
   */
  protected void completeFrame(ByteBuffer buffer, int start, int length) {}

  /** Sets the MAC address the stack uses on this device. */
  protected final void macAddress(MacAddress address) {
    this.mac = address;
  }

  /** Sets the device's MTU. */
  protected final void mtu(int bytes) {
    this.mtu = bytes;
  }

  @Override
  public final void connect() throws IOException {
    fd = open();
    LOG.log(System.Logger.Level.INFO, () -> describe() + " up: mac " + mac + ", mtu " + mtu);
  }

  /** The log source of every NIC driver, as MirageOS's {@code netif}. */
  private static final System.Logger LOG = System.getLogger("netif");

  @Override
  public MacAddress mac() {
    MacAddress m = mac;
    if (m == null) {
      throw new IllegalStateException(describe() + " is not connected");
    }
    return m;
  }

  @Override
  public int mtu() {
    return mtu;
  }

  @Override
  public final void send(ByteBuffer frame) throws IOException {
    int n = frame.remaining();
    if (n > mtu + ETHERNET_HEADER) {
      throw new IOException("frame of " + n + " bytes exceeds MTU " + mtu + " + 14");
    }
    synchronized (sendLock) {
      int f = fd;
      if (closed || f < 0) {
        throw new IOException(describe() + " is closed");
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
        int errno = Native.getLastError();
        if (errno != LibC.ENOBUFS && errno != LibC.EAGAIN) {
          throw new IOException("sending on " + describe() + " failed: "
              + LibC.INSTANCE.strerror(errno));
        }
        // The device's queue is full: like a frame lost on the wire.
      }
      frame.position(frame.limit());
    }
  }

  @Override
  public final int receive(ByteBuffer into) throws IOException {
    synchronized (receiveLock) {
      byte[] pfd = new byte[8];
      Pointer staging = Native.getDirectBufferPointer(rx);
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
          if (errno == LibC.EINTR) {
            continue;
          }
          throw new IOException("poll on " + describe() + " failed: "
              + LibC.INSTANCE.strerror(errno));
        }
        if (r == 0) {
          continue;
        }
        boolean direct = into.isDirect() && into.remaining() >= mtu + ETHERNET_HEADER;
        long n = direct
            ? readFrame(f, Native.getDirectBufferPointer(into).share(into.position()),
                into.remaining())
            : readFrame(f, staging, rx.capacity());
        if (n == SKIP) {
          continue;
        }
        if (n < 0) {
          int errno = Native.getLastError();
          if (errno == LibC.EINTR || errno == LibC.EAGAIN) {
            continue;
          }
          throw new IOException("receiving on " + describe() + " failed: "
              + LibC.INSTANCE.strerror(errno));
        }
        if (direct) {
          int len = (int) n; // read straight into the caller's buffer
          completeFrame(into, into.position(), len);
          into.position(into.position() + len);
          return len;
        }
        int len = (int) Math.min(n, into.remaining());
        rx.clear().limit(len);
        completeFrame(rx, 0, len);
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
}
