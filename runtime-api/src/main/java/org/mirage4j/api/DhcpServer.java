package org.mirage4j.api;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A DHCP server (RFC 2131): hands out IPv4 addresses from a range, with lease times, on one
 * network (MirageOS's {@code dhcp} application, over charrua).
 */
public interface DhcpServer extends Device {

  /** What happened to a lease. */
  enum Event {
    /** A client obtained an address (a new lease, or a lease for another address). */
    GRANTED,
    /** A client extended its lease. */
    RENEWED,
    /** A client gave its address back. */
    RELEASED,
    /** A client found its address in use by another host (DHCPDECLINE); the address is held back. */
    DECLINED,
    /** A lease ran out without being renewed. */
    EXPIRED
  }

  /**
   * One lease.
   *
   * @param address the client's address
   * @param client the client's hardware address
   * @param hostname the host name the client gave (option 12), if any
   * @param remaining how long the lease still runs (zero once expired or released)
   */
  record Lease(Ipv4Address address, MacAddress client, Optional<String> hostname,
      Duration remaining) {}

  /** Told of every change of a lease. */
  @FunctionalInterface
  interface Listener {
    void onLease(Event event, Lease lease);
  }

  /** The leases held now, by address. */
  List<Lease> leases();

  /**
   * Answers clients until {@link #close()}: offers, acknowledges and refuses requests, takes back
   * released and declined addresses and lets unrenewed leases expire, telling {@code listener} of
   * each change. Blocks.
   *
   * @throws IOException if the server cannot receive any more
   */
  void serve(Listener listener) throws IOException;
}
