package org.mirage4j.api;

import java.net.InetAddress;
import java.util.List;

/**
 * A TCP/IP stack (MirageOS's {@code stackv4v6}): the host's sockets on {@code unix} with the socket
 * stack, or mirage4j's own direct stack over a {@link Network}. Applications and the HTTP server are
 * written against this interface, so they run unchanged on either.
 */
public interface Stack extends Device {

  /** TCP over this stack. */
  Tcp tcp();

  /** UDP over this stack. */
  Udp udp();

  /** The addresses this stack is reachable at (may be empty for the socket stack: any). */
  List<InetAddress> addresses();
}
