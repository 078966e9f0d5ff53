package org.mirage4j.drivers.nic;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.mirage4j.api.MacAddress;

/** Linux network interfaces by name: name checks, {@code struct ifreq}, MTU and MAC by ioctl. */
public final class Interfaces {
  /** IFNAMSIZ: an interface name has at most 15 bytes and a NUL. */
  public static final int NAME_SIZE = 16;
  /** The MTU assumed when the interface's cannot be read. */
  public static final int DEFAULT_MTU = 1500;

  private Interfaces() {}

  /**
   * Checks an interface name.
   *
   * @throws IllegalArgumentException if it is empty or longer than 15 characters
   */
  public static String checkName(String interfaceName) {
    if (interfaceName == null || interfaceName.isEmpty()
        || interfaceName.getBytes(StandardCharsets.US_ASCII).length >= NAME_SIZE) {
      throw new IllegalArgumentException(
          "a Linux interface name has 1 to 15 characters: " + interfaceName);
    }
    return interfaceName;
  }

  /**
   * A zeroed {@code struct ifreq} with {@code ifr_name} filled in (40 bytes: its size on 64-bit
   * Linux, more than it needs on 32-bit).
   */
  public static byte[] ifreq(String interfaceName) {
    byte[] ifr = new byte[40];
    byte[] n = interfaceName.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, ifr, 0, n.length);
    return ifr;
  }

  /**
   * The interface's MTU by {@code SIOCGIFMTU} on {@code socketFd}, in the namespace that socket
   * belongs to; {@link #DEFAULT_MTU} if it cannot be read or is implausible.
   */
  public static int mtu(int socketFd, String interfaceName) {
    byte[] ifr = ifreq(interfaceName);
    if (LibC.INSTANCE.ioctl(socketFd, new NativeLong(LibC.SIOCGIFMTU), ifr) < 0) {
      return DEFAULT_MTU;
    }
    int m = ByteBuffer.wrap(ifr).order(ByteOrder.nativeOrder()).getInt(16); // ifr_mtu
    return m >= 68 && m <= 65535 ? m : DEFAULT_MTU;
  }

  /**
   * The interface's MTU, asked through a datagram socket of the calling thread's namespace (for
   * devices whose own descriptor is not a socket, like a TAP device's).
   */
  public static int mtu(String interfaceName) {
    int s = LibC.INSTANCE.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
    if (s < 0) {
      return DEFAULT_MTU;
    }
    try {
      return mtu(s, interfaceName);
    } finally {
      LibC.INSTANCE.close(s);
    }
  }

  /** The interface's hardware address by {@code SIOCGIFHWADDR} on {@code socketFd}. */
  public static MacAddress hardwareAddress(int socketFd, String interfaceName) throws IOException {
    byte[] ifr = ifreq(interfaceName);
    if (LibC.INSTANCE.ioctl(socketFd, new NativeLong(LibC.SIOCGIFHWADDR), ifr) < 0) {
      throw new IOException("cannot read the MAC address of " + interfaceName + ": " + lastError());
    }
    byte[] m = new byte[6];
    System.arraycopy(ifr, 18, m, 0, 6); // ifr_hwaddr.sa_data
    return MacAddress.of(m);
  }

  /** The last system call's error, as text with its number. */
  public static String lastError() {
    int errno = Native.getLastError();
    return LibC.INSTANCE.strerror(errno) + " (errno " + errno + ")";
  }
}
