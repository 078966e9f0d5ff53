package org.mirage4j.api;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Address resolution (RFC 826) for IPv4 over {@link Ethernet}. */
public interface Arp extends Device {

  /**
   * The hardware address of {@code address}, from the cache or by asking the network.
   *
   * @throws IOException if no answer came within {@code timeout}
   */
  MacAddress resolve(Ipv4Address address, Duration timeout) throws IOException;

  /** The IPv4 addresses this host answers for. */
  List<Ipv4Address> addresses();

  /** Replaces the addresses this host answers for, announcing each with a gratuitous ARP. */
  void setAddresses(List<Ipv4Address> addresses) throws IOException;
}
