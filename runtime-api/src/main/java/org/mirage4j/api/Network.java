package org.mirage4j.api;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A network interface that sends and receives whole Ethernet frames (MirageOS's {@code network}):
 * a TAP device on {@code unix}, the guest NIC on {@code xen} and {@code arm}.
 *
 * <p>{@link #receive} and {@link #send} may be called from different threads. After {@link #close()},
 * a blocked {@code receive} returns -1.
 */
public interface Network extends Device {

  /** The interface's hardware address. */
  MacAddress mac();

  /** The largest payload of one frame, excluding the 14-byte Ethernet header (1500 usually). */
  int mtu();

  /**
   * Sends one frame: the remaining bytes of {@code frame}, starting with the Ethernet header.
   *
   * @throws IOException if the interface is closed or the frame is longer than {@code mtu() + 14}
   */
  void send(ByteBuffer frame) throws IOException;

  /**
   * Blocks until a frame arrives and copies it into {@code into} (from its position).
   *
   * @return the frame's length, or -1 once the interface is closed
   * @throws IOException on a device error
   */
  int receive(ByteBuffer into) throws IOException;
}
