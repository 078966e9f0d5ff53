package org.mirage4j.drivers.packet;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/** The few libc calls the packet-socket driver needs. */
interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  int AF_PACKET = 17;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;
  int ETH_P_ALL = 0x0003;
  int SOL_PACKET = 263;
  int PACKET_IGNORE_OUTGOING = 23;
  int PACKET_OUTGOING = 4;
  int PACKET_AUXDATA = 8;
  int TP_STATUS_CSUMNOTREADY = 1 << 3;
  long SIOCGIFMTU = 0x8921L;
  long SIOCGIFHWADDR = 0x8927L;
  short POLLIN = 0x1;

  int socket(int domain, int type, int protocol);

  int bind(int fd, byte[] addr, int addrlen);

  int setsockopt(int fd, int level, int name, int[] value, int len);

  int ioctl(int fd, NativeLong request, byte[] arg);

  NativeLong send(int fd, Pointer buf, NativeLong len, int flags);

  NativeLong recvfrom(int fd, Pointer buf, NativeLong len, int flags, byte[] addr, int[] addrlen);

  NativeLong recvmsg(int fd, Pointer msg, int flags);

  int poll(byte[] fds, NativeLong nfds, int timeout);

  int if_nametoindex(String name);

  int open(String path, int flags);

  int close(int fd);

  /** Moves the calling thread into a namespace (used by tests to open sockets inside one). */
  int setns(int fd, int nstype);

  String strerror(int errnum);
}
