package org.mirage4j.drivers.direct.tcp;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.mirage4j.api.Ipv4Address;

/** What TCP needs from the IP layer below it. */
public interface IpLayer {

  /** This host's address: the source of what TCP sends; segments to other addresses are dropped. */
  Ipv4Address address();

  /** The largest IP payload that fits one unfragmented datagram. */
  int mtu();

  /**
   * The running checksum (see {@link org.mirage4j.drivers.direct.wire.Checksum}) of the
   * pseudo-header of a TCP segment of {@code length} bytes from {@code source} to {@code
   * destination}.
   */
  long pseudoHeaderSum(Ipv4Address source, Ipv4Address destination, int length);

  /** Sends one segment (its remaining bytes) to {@code destination}. */
  void send(Ipv4Address destination, ByteBuffer segment) throws IOException;
}
