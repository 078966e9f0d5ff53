package org.mirage4j.drivers.packet;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.mirage4j.api.Network;
import org.mirage4j.drivers.nic.FdNetwork;
import org.mirage4j.drivers.nic.Interfaces;
import org.mirage4j.drivers.nic.LibC;

/**
 * A {@link Network} over a raw {@code AF_PACKET} socket bound to one interface: the direct stack
 * speaks Ethernet on that interface itself, with the interface's own MAC address. On the {@code xen}
 * and {@code arm} targets this is the guest NIC that xen-netfront provides; on {@code unix} any
 * interface that has no kernel IPv4 configuration (one end of a veth pair, a dedicated NIC).
 *
 * <p>Needs CAP_NET_RAW. Frames the socket itself sends are not read back ({@code
 * PACKET_IGNORE_OUTGOING}, or filtered by packet type on older kernels). Frames that a local
 * sender handed over with checksum offload get their TCP/UDP checksum completed, as a NIC would.
 * Sending and closing are {@link FdNetwork}'s; receiving is {@code recvmsg}, for the packet type
 * and the checksum status. LP64 only (x86_64, aarch64).
 */
public class PacketSocketNetwork extends FdNetwork {

  private final String interfaceName;
  // struct msghdr, iovec, sockaddr_ll and cmsghdr space for LP64 (x86_64, aarch64); receive thread only
  private final Memory name = new Memory(32);
  private final Memory iov = new Memory(16);
  private final Memory control = new Memory(256);
  private final Memory msg = new Memory(56);
  /** Whether the frame just read still needs its checksum (TP_STATUS_CSUMNOTREADY). */
  private boolean checksumPending;

  /**
   * @param interfaceName the interface to bind, e.g. {@code eth0}
   */
  public PacketSocketNetwork(String interfaceName) {
    this.interfaceName = Interfaces.checkName(interfaceName);
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
  protected String describe() {
    return "packet socket on " + interfaceName();
  }

  @Override
  protected int open() throws IOException {
    String name = resolveInterface();
    int index = LibC.INSTANCE.if_nametoindex(name);
    if (index == 0) {
      throw new IOException("no network interface named " + name + ": " + Interfaces.lastError());
    }
    int proto = Short.toUnsignedInt(Short.reverseBytes((short) LibC.ETH_P_ALL)); // htons
    if (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN) {
      proto = LibC.ETH_P_ALL;
    }
    int s = LibC.INSTANCE.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, proto);
    if (s < 0) {
      throw new IOException("cannot open a packet socket (needs CAP_NET_RAW): "
          + Interfaces.lastError());
    }
    // struct sockaddr_ll { u16 family; be16 protocol; s32 ifindex; u16 hatype; u8 pkttype; u8 halen; u8 addr[8]; }
    ByteBuffer sll = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder());
    sll.putShort(0, (short) LibC.AF_PACKET);
    sll.order(ByteOrder.BIG_ENDIAN).putShort(2, (short) LibC.ETH_P_ALL);
    sll.order(ByteOrder.nativeOrder()).putInt(4, index);
    if (LibC.INSTANCE.bind(s, sll.array(), 20) < 0) {
      String e = Interfaces.lastError();
      LibC.INSTANCE.close(s);
      throw new IOException("cannot bind a packet socket to " + name + ": " + e);
    }
    LibC.INSTANCE.setsockopt(s, LibC.SOL_PACKET, LibC.PACKET_IGNORE_OUTGOING, new int[] {1}, 4);
    // Ask for each frame's status, to complete checksums the sender left to offload.
    LibC.INSTANCE.setsockopt(s, LibC.SOL_PACKET, LibC.PACKET_AUXDATA, new int[] {1}, 4);
    try {
      macAddress(Interfaces.hardwareAddress(s, name));
    } catch (IOException e) {
      LibC.INSTANCE.close(s);
      throw e;
    }
    mtu(Interfaces.mtu(s, name));
    return s;
  }

  @Override
  protected long readFrame(int fd, Pointer buffer, int capacity) {
    iov.setPointer(0, buffer);
    iov.setLong(8, capacity);
    msg.clear();
    msg.setPointer(0, name);
    msg.setInt(8, 32);
    msg.setPointer(16, iov);
    msg.setLong(24, 1);
    msg.setPointer(32, control);
    msg.setLong(40, control.size());
    long n = LibC.INSTANCE.recvmsg(fd, msg, 0).longValue();
    if (n < 0) {
      return n;
    }
    if ((name.getByte(10) & 0xff) == LibC.PACKET_OUTGOING) {
      return SKIP; // our own transmission, on kernels without PACKET_IGNORE_OUTGOING
    }
    int status = 0;
    long controlLen = msg.getLong(40);
    if (controlLen >= 20 && control.getInt(8) == LibC.SOL_PACKET
        && control.getInt(12) == LibC.PACKET_AUXDATA) {
      status = control.getInt(16);
    }
    checksumPending = (status & LibC.TP_STATUS_CSUMNOTREADY) != 0;
    return n;
  }

  @Override
  protected void completeFrame(ByteBuffer buffer, int start, int length) {
    if (checksumPending) {
      Checksums.complete(buffer.slice(start, length), length);
    }
  }
}
