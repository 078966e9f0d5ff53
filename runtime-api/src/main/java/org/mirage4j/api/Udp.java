package org.mirage4j.api;

import java.io.IOException;

/** UDP (RFC 768). */
public interface Udp extends Device {

  /**
   * Binds {@code port} on every local address.
   *
   * @param port 0 for any free port
   */
  UdpSocket bind(int port) throws IOException;
}
