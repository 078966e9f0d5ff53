package org.mirage4j.bench;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/** The libc calls of {@link TapThroughputFigures}: entering a namespace and a raw ICMP socket. */
interface NetLibC extends Library {
  NetLibC INSTANCE = Native.load("c", NetLibC.class);

  int CLONE_NEWNET = 0x40000000;
  int AF_INET = 2;
  int SOCK_RAW = 3;
  int IPPROTO_ICMP = 1;
  short POLLIN = 0x1;

  int open(String path, int flags);

  int close(int fd);

  int setns(int fd, int nstype);

  int socket(int domain, int type, int protocol);

  /** {@code addr}: a packed {@code struct sockaddr_in}. */
  NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrlen);

  NativeLong recv(int fd, byte[] buf, NativeLong len, int flags);

  /** {@code fds}: packed {@code struct pollfd} (int fd, short events, short revents). */
  int poll(byte[] fds, NativeLong nfds, int timeout);

  String strerror(int errnum);
}
