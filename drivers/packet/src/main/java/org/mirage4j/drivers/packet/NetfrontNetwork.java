package org.mirage4j.drivers.packet;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import org.mirage4j.runtime.GuestResources;

/**
 * The guest NIC of the {@code xen} and {@code arm} targets. The configuration names a host network
 * ({@code net0}); the generated wiring records, in {@link GuestResources}, which guest interface the
 * guest configuration attached for it ({@code eth0}), and this driver binds a raw packet socket to
 * that interface at {@link #connect()}: the guest kernel's xen-netfront driver moves the frames, our
 * direct stack (not the guest kernel's) speaks IP on them.
 */
public final class NetfrontNetwork extends PacketSocketNetwork {

  private final String networkName;
  private final Function<String, Optional<String>> resolver;
  private volatile String resolved;

  /**
   * @param networkName the host network as the configuration names it
   */
  public NetfrontNetwork(String networkName) {
    this(networkName, n -> GuestResources.current().networkInterface(n));
  }

  /** With an explicit resolver from network name to guest interface (tests, other runtimes). */
  NetfrontNetwork(String networkName, Function<String, Optional<String>> resolver) {
    super("unresolved");
    this.networkName = networkName;
    this.resolver = resolver;
  }

  /** The host network this NIC is attached to. */
  public String networkName() {
    return networkName;
  }

  @Override
  public String interfaceName() {
    String r = resolved;
    return r != null ? r : super.interfaceName();
  }

  @Override
  String resolveInterface() throws IOException {
    Optional<String> iface = resolver.apply(networkName);
    if (iface.isEmpty()) {
      throw new IOException("no guest interface is mapped to network '" + networkName
          + "' (GuestResources has " + GuestResources.current().networks()
          + "); the generated wiring installs the mapping on xen and arm");
    }
    resolved = iface.get();
    return resolved;
  }
}
