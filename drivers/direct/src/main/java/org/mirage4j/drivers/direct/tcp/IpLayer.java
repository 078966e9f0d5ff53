package org.mirage4j.drivers.direct.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.mirage4j.api.IpAddress;

/** What TCP needs from the IP layer (or layers, IPv4 and IPv6) below it. */
public interface IpLayer {

  /** Whether {@code address} is one of this host's, that segments may be addressed to. */
  boolean isLocal(IpAddress address);

  /** This host's address for segments to {@code remote}; empty if it has none (no route). */
  Optional<IpAddress> source(IpAddress remote);

  /** The largest IP payload that fits one unfragmented datagram towards {@code remote}. */
  int mtu(IpAddress remote);

  /**
   * The running checksum (see {@link org.mirage4j.drivers.direct.wire.Checksum}) of the
   * pseudo-header of a TCP segment of {@code length} bytes from {@code source} to {@code
   * destination}.
   */
  long pseudoHeaderSum(IpAddress source, IpAddress destination, int length);

  /** Sends one segment (its remaining bytes) from {@code source} to {@code destination}. */
  void send(IpAddress source, IpAddress destination, ByteBuffer segment) throws IOException;
}
