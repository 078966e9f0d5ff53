package org.mirage4j.model;

import java.util.Objects;

/**
 * Something a device needs from the host that runs a guest: it becomes a {@code vif} or {@code disk}
 * line of the Xen configuration and an interface or disk of the libvirt domain.
 */
public sealed interface HostResource permits HostResource.Vif, HostResource.Disk {

  /**
   * A virtual network interface.
   *
   * @param name the network's name, as MirageOS's {@code @NETWORK:<name>@} placeholder
   */
  record Vif(String name) implements HostResource {
    /** Requires a name. */
    public Vif {
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * A virtual disk backed by a file of the host.
   *
   * @param file the host file, as MirageOS's {@code @BLOCK:<file>@} placeholder
   */
  record Disk(String file) implements HostResource {
    /** Requires a file. */
    public Disk {
      Objects.requireNonNull(file, "file");
    }
  }
}
