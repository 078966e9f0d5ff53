package org.mirage4j.model;

import java.util.Objects;

/**
 * Something a device needs from outside the program: from the host that runs a guest (a {@code
 * vif} or {@code disk} line of the Xen configuration, an interface or disk of the libvirt domain),
 * or from the machine that builds it (a directory embedded in the program).
 */
public sealed interface HostResource permits HostResource.Vif, HostResource.Disk, HostResource.Embed {

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

  /**
   * A directory of the project that the build embeds in the program (as MirageOS's crunch does).
   *
   * @param dir the directory as the configuration names it, relative to the configuration's
   *     directory
   */
  record Embed(String dir) implements HostResource {
    /** Requires a directory. */
    public Embed {
      Objects.requireNonNull(dir, "dir");
    }
  }
}
