package org.mirage4j.drivers.tap;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/** The few libc calls the TAP driver needs. */
interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  int O_RDWR = 2;
  int O_CLOEXEC = 0x80000;
  short POLLIN = 0x1;

  int AF_INET = 2;
  int SOCK_DGRAM = 2;
  long SIOCGIFMTU = 0x8921L;

  int open(String path, int flags);

  int socket(int domain, int type, int protocol);

  int close(int fd);

  int ioctl(int fd, NativeLong request, byte[] arg);

  NativeLong read(int fd, Pointer buf, NativeLong count);

  NativeLong write(int fd, Pointer buf, NativeLong count);

  /** {@code fds}: packed {@code struct pollfd} (int fd, short events, short revents). */
  int poll(byte[] fds, NativeLong nfds, int timeout);

  String strerror(int errnum);

  /** Moves the calling thread into a namespace (used by tests to open devices inside one). */
  int setns(int fd, int nstype);
}
