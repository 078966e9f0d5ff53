package org.mirage4j.api;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** ICMP for IPv4 (RFC 792): answers echo requests, and sends them. */
public interface Icmp extends Device {

  /**
   * Sends one echo request and waits for its reply.
   *
   * @return the round-trip time, or empty if no reply came within {@code timeout}
   */
  Optional<Duration> ping(Ipv4Address destination, Duration timeout) throws IOException;
}
