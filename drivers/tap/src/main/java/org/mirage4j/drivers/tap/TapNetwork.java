package org.mirage4j.drivers.tap;

import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import org.mirage4j.api.MacAddress;
import org.mirage4j.api.Network;
import org.mirage4j.drivers.nic.FdNetwork;
import org.mirage4j.drivers.nic.Interfaces;
import org.mirage4j.drivers.nic.LibC;

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
 * <p>Sending, receiving and closing are {@link FdNetwork}'s: one frame per {@code read} and
 * {@code write} on the device's descriptor.
 */
public final class TapNetwork extends FdNetwork {

  private static final short IFF_TAP = 0x0002;
  private static final short IFF_NO_PI = 0x1000;

  private final String interfaceName;

  /**
   * @param interfaceName the TAP interface, e.g. {@code tap0} (at most 15 characters)
   */
  public TapNetwork(String interfaceName) {
    this.interfaceName = Interfaces.checkName(interfaceName);
    byte[] m = new byte[6];
    new SecureRandom().nextBytes(m);
    m[0] = (byte) ((m[0] & 0xfe) | 0x02); // unicast, locally administered
    macAddress(MacAddress.of(m));
  }

  /** The interface name. */
  public String interfaceName() {
    return interfaceName;
  }

  @Override
  protected String describe() {
    return "TAP interface " + interfaceName;
  }

  @Override
  protected int open() throws IOException {
    int f = LibC.INSTANCE.open("/dev/net/tun", LibC.O_RDWR | LibC.O_CLOEXEC);
    if (f < 0) {
      throw new IOException("cannot open /dev/net/tun: " + Interfaces.lastError());
    }
    byte[] ifr = Interfaces.ifreq(interfaceName);
    short flags = (short) (IFF_TAP | IFF_NO_PI);
    if (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN) { // ifr_flags, in native order
      ifr[16] = (byte) (flags >>> 8);
      ifr[17] = (byte) flags;
    } else {
      ifr[16] = (byte) flags;
      ifr[17] = (byte) (flags >>> 8);
    }
    if (LibC.INSTANCE.ioctl(f, new NativeLong(LibC.TUNSETIFF), ifr) < 0) {
      String e = Interfaces.lastError();
      LibC.INSTANCE.close(f);
      throw new IOException("cannot attach to TAP interface " + interfaceName + ": " + e
          + " (creating one needs CAP_NET_ADMIN)");
    }
    // The device is not a socket: ask a datagram socket of the calling thread's namespace.
    mtu(Interfaces.mtu(interfaceName));
    return f;
  }
}
