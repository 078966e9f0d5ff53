package org.mirage4j.drivers.packet;

import java.util.Objects;

/**
 * The guest NIC of the {@code xen} and {@code arm} targets. The configuration names a host network
 * ({@code net0}); the guest configuration attaches one interface for it ({@code eth0}), which the
 * generated wiring passes to this driver (it {@code needs vif(network_name)}), and {@link #connect()}
 * binds a raw packet socket to that interface: the guest kernel's xen-netfront driver moves the
 * frames, our direct stack (not the guest kernel's) speaks IP on them.
 */
public final class NetfrontNetwork extends PacketSocketNetwork {

  private final String networkName;

  /**
   * @param networkName the host network as the configuration names it ({@code net0})
   * @param guestInterface the guest's interface that the guest configuration attaches for it
   *     ({@code eth0})
   */
  public NetfrontNetwork(String networkName, String guestInterface) {
    super(guestInterface);
    this.networkName = Objects.requireNonNull(networkName, "networkName");
  }

  /** The host network this NIC is attached to. */
  public String networkName() {
    return networkName;
  }
}
