package org.mirage4j.drivers.nic;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/** The libc calls of the fd-backed NICs (TAP and packet socket), and their constants (Linux). */
public interface LibC extends Library {
  /** The C library. */
  LibC INSTANCE = Native.load("c", LibC.class);

  int O_RDWR = 2;
  int O_CLOEXEC = 0x80000;
  short POLLIN = 0x1;
  int EINTR = 4;
  int EAGAIN = 11;
  int ENOBUFS = 105;

  int AF_INET = 2;
  int AF_PACKET = 17;
  int SOCK_DGRAM = 2;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;
  int ETH_P_ALL = 0x0003;
  int SOL_PACKET = 263;
  int PACKET_ADD_MEMBERSHIP = 1;
  int PACKET_MR_ALLMULTI = 2;
  int PACKET_IGNORE_OUTGOING = 23;
  int PACKET_OUTGOING = 4;
  int PACKET_AUXDATA = 8;
  int TP_STATUS_CSUMNOTREADY = 1 << 3;

  long SIOCGIFMTU = 0x8921L;
  long SIOCGIFHWADDR = 0x8927L;
  long TUNSETIFF = 0x400454caL;

  int open(String path, int flags);

  int socket(int domain, int type, int protocol);

  int bind(int fd, byte[] addr, int addrlen);

  int setsockopt(int fd, int level, int name, int[] value, int len);

  /** {@code value}: a packed structure such as {@code struct packet_mreq}. */
  int setsockopt(int fd, int level, int name, byte[] value, int len);

  int ioctl(int fd, NativeLong request, byte[] arg);

  NativeLong read(int fd, Pointer buf, NativeLong count);

  NativeLong write(int fd, Pointer buf, NativeLong count);

  NativeLong recvmsg(int fd, Pointer msg, int flags);

  /** {@code fds}: packed {@code struct pollfd} (int fd, short events, short revents). */
  int poll(byte[] fds, NativeLong nfds, int timeout);

  int if_nametoindex(String name);

  int close(int fd);

  String strerror(int errnum);
}
