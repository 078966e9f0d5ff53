package org.mirage4j.api;

import java.io.IOException;
import java.nio.ByteBuffer;

/** The Ethernet layer over a {@link Network}: adds and strips frame headers and dispatches by type. */
public interface Ethernet extends Device {

  /** EtherType of IPv4. */
  int IPV4 = 0x0800;
  /** EtherType of ARP. */
  int ARP = 0x0806;
  /** EtherType of IPv6. */
  int IPV6 = 0x86dd;

  /** Receives the payload of frames of one EtherType. */
  @FunctionalInterface
  interface Listener {
    /**
     * Called on the receive thread with the frame's payload; the buffer is only valid during the
     * call.
     */
    void onFrame(MacAddress source, MacAddress destination, ByteBuffer payload);
  }

  /** This interface's address. */
  MacAddress mac();

  /** The largest payload of one frame. */
  int mtu();

  /** Sends {@code payload} (its remaining bytes) to {@code destination} with the given EtherType. */
  void send(MacAddress destination, int etherType, ByteBuffer payload) throws IOException;

  /** Registers the listener for one EtherType, replacing any earlier one. */
  void listen(int etherType, Listener listener);

  /**
   * Starts accepting frames sent to the multicast address {@code group} (IPv6 neighbour discovery
   * needs its solicited-node and all-nodes groups). Joins are counted: a group joined twice stays
   * joined until it is left twice. Frames to groups not joined are dropped.
   *
   * @throws UnsupportedOperationException if this layer cannot receive multicast (the default)
   */
  default void joinMulticast(MacAddress group) {
    throw new UnsupportedOperationException(getClass().getName() + " cannot receive multicast");
  }

  /** Undoes one {@link #joinMulticast}. */
  default void leaveMulticast(MacAddress group) {}
}
