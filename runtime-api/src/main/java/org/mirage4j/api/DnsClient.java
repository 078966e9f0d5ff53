package org.mirage4j.api;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * A DNS stub resolver (MirageOS's {@code dns_client}): asks the configured name servers for the
 * addresses of a host name, over the stack it was given.
 *
 * <p>An IP address literal resolves to itself and {@code localhost} to the loopback addresses,
 * without asking. Failures are {@link IOException}s whose message says what happened: {@link
 * java.net.UnknownHostException} when the name does not exist or has no address of the kind asked
 * for, {@link java.net.SocketTimeoutException} when no server answered in time.
 */
public interface DnsClient extends Device {

  /** The IPv4 addresses of {@code host} (its A records, following CNAMEs). */
  List<Inet4Address> resolveIpv4(String host) throws IOException;

  /** The IPv6 addresses of {@code host} (its AAAA records, following CNAMEs). */
  List<Inet6Address> resolveIpv6(String host) throws IOException;

  /**
   * The addresses of {@code host}: its IPv4 addresses, then its IPv6 ones; fails only if it has
   * neither.
   */
  List<InetAddress> resolve(String host) throws IOException;
}
