package org.mirage4j.drivers.packet;

import com.sun.jna.Memory;
import com.sun.jna.Native;
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
 * and the checksum status, with the C structures laid out for the ABI's pointer width.
 */
public class PacketSocketNetwork extends FdNetwork {

  private final String interfaceName;
  // struct msghdr, struct iovec and struct cmsghdr as the C ABI lays them out: pointers and size_t
  // are 8 bytes on 64-bit Linux and 4 on 32-bit (armv7) Linux; every field is at a multiple of that.
  // Receive thread only.
  private static final int PTR = Native.POINTER_SIZE;
  private static final long CMSG_DATA = PTR + 8L; // after cmsg_len, cmsg_level and cmsg_type
  private final Memory name = new Memory(32); // struct sockaddr_ll
  private final Memory iov = new Memory(2L * PTR);
  private final Memory control = new Memory(256);
  private final Memory msg = new Memory(7L * PTR);
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

  @Override
  protected String describe() {
    return "packet socket on " + interfaceName();
  }

  @Override
  protected int open() throws IOException {
    String name = interfaceName;
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
    // Have the NIC pass every multicast frame (struct packet_mreq, PACKET_MR_ALLMULTI): the
    // Ethernet layer keeps those of the groups it joined (IPv6 neighbour discovery).
    ByteBuffer mreq = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    mreq.putInt(0, index).putShort(4, (short) LibC.PACKET_MR_ALLMULTI);
    LibC.INSTANCE.setsockopt(s, LibC.SOL_PACKET, LibC.PACKET_ADD_MEMBERSHIP, mreq.array(), 16);
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
    putSize(iov, PTR, capacity);
    msg.clear();
    msg.setPointer(0, name);
    msg.setInt(PTR, 32);
    msg.setPointer(2L * PTR, iov);
    putSize(msg, 3L * PTR, 1);
    msg.setPointer(4L * PTR, control);
    putSize(msg, 5L * PTR, control.size());
    long n = LibC.INSTANCE.recvmsg(fd, msg, 0).longValue();
    if (n < 0) {
      return n;
    }
    if ((name.getByte(10) & 0xff) == LibC.PACKET_OUTGOING) {
      return SKIP; // our own transmission, on kernels without PACKET_IGNORE_OUTGOING
    }
    int status = 0;
    long controlLen = PTR == 8 ? msg.getLong(5L * PTR) : Integer.toUnsignedLong(msg.getInt(5L * PTR));
    if (controlLen >= CMSG_DATA + 4 && control.getInt(PTR) == LibC.SOL_PACKET
        && control.getInt(PTR + 4L) == LibC.PACKET_AUXDATA) {
      status = control.getInt(CMSG_DATA);
    }
    checksumPending = (status & LibC.TP_STATUS_CSUMNOTREADY) != 0;
    return n;
  }

  /** Writes a {@code size_t} (the ABI's pointer width on Linux). */
  private static void putSize(Memory m, long offset, long value) {
    if (PTR == 8) {
      m.setLong(offset, value);
    } else {
      m.setInt(offset, (int) value);
    }
  }

  @Override
  protected void completeFrame(ByteBuffer buffer, int start, int length) {
    if (checksumPending) {
      Checksums.complete(buffer.slice(start, length), length);
    }
  }
}
