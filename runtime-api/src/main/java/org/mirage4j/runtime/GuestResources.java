package org.mirage4j.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which guest device backs each host resource of a {@code xen} or {@code arm} guest.
 *
 * <p>The guest's configuration ({@code <name>.xl}, the libvirt domain) attaches one disk per block
 * device and one interface per network of the graph, in the order of the graph: the first disk
 * becomes {@code /dev/xvdb} ({@code /dev/xvda} is the guest system's own), the next {@code
 * /dev/xvdc}, and the first network {@code eth0}, the next {@code eth1}. The generated wiring
 * writes that mapping here with {@link #install} before creating any device, and guest drivers
 * (which the configuration only gives a host file or network name) look their device up with
 * {@link #diskDevice} and {@link #networkInterface}. On {@code unix} nothing is installed and
 * {@link #current()} is empty.
 */
public final class GuestResources {

  private static final GuestResources EMPTY = new GuestResources(Map.of(), Map.of());
  private static volatile GuestResources current = EMPTY;

  private final Map<String, String> disks;
  private final Map<String, String> networks;

  private GuestResources(Map<String, String> disks, Map<String, String> networks) {
    this.disks = disks;
    this.networks = networks;
  }

  /** Starts an empty mapping. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link GuestResources}; entries keep the order in which they are added. */
  public static final class Builder {
    private final Map<String, String> disks = new LinkedHashMap<>();
    private final Map<String, String> networks = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Maps a host disk file to a guest block device.
     *
     * @param hostFile the file as the configuration names it ({@code disk.img})
     * @param guestDevice the guest's device ({@code /dev/xvdb})
     */
    public Builder disk(String hostFile, String guestDevice) {
      put(disks, "disk", hostFile, guestDevice);
      return this;
    }

    /**
     * Maps a host network name to a guest network interface.
     *
     * @param networkName the network as the configuration names it ({@code net0})
     * @param guestInterface the guest's interface ({@code eth0})
     */
    public Builder network(String networkName, String guestInterface) {
      put(networks, "network", networkName, guestInterface);
      return this;
    }

    private static void put(Map<String, String> map, String what, String key, String value) {
      Objects.requireNonNull(key, what);
      Objects.requireNonNull(value, what);
      String old = map.putIfAbsent(key, value);
      if (old != null && !old.equals(value)) {
        throw new IllegalArgumentException(
            what + " '" + key + "' is mapped to both " + old + " and " + value);
      }
    }

    /** The mapping. */
    public GuestResources build() {
      return new GuestResources(
          Collections.unmodifiableMap(new LinkedHashMap<>(disks)),
          Collections.unmodifiableMap(new LinkedHashMap<>(networks)));
    }
  }

  /** Makes {@code resources} the mapping that {@link #current()} returns. */
  public static void install(GuestResources resources) {
    current = Objects.requireNonNull(resources, "resources");
  }

  /** The installed mapping; empty on {@code unix}. */
  public static GuestResources current() {
    return current;
  }

  /** The guest block device backing a host disk file ({@code /dev/xvdb}), if any. */
  public Optional<String> diskDevice(String hostFile) {
    return Optional.ofNullable(disks.get(hostFile));
  }

  /** The guest interface attached to a host network ({@code eth0}), if any. */
  public Optional<String> networkInterface(String networkName) {
    return Optional.ofNullable(networks.get(networkName));
  }

  /** Every disk mapping, host file to guest device, in the order of the graph. */
  public Map<String, String> disks() {
    return disks;
  }

  /** Every network mapping, network name to guest interface, in the order of the graph. */
  public Map<String, String> networks() {
    return networks;
  }

  @Override
  public String toString() {
    return "GuestResources" + disks + networks;
  }
}
