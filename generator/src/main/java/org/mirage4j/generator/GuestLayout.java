package org.mirage4j.generator;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.UnikernelModel;

/**
 * The host resources of a guest in the order of the graph, with the guest device each becomes: the
 * one place that decides that the first disk is {@code xvdb} and the first network {@code eth0}, so
 * that the {@code .xl} file, the libvirt domain and the guest devices the wiring passes to the
 * drivers that need them ({@code new XenBlock("disk.img", "/dev/xvdb")}) agree.
 */
final class GuestLayout {

  /**
   * A disk of the guest.
   *
   * @param file the host file, as the configuration names it
   * @param vdev the Xen virtual device ({@code xvdb})
   */
  record Disk(String file, String vdev) {
    /** The guest's device node. */
    String guestDevice() {
      return "/dev/" + vdev;
    }
  }

  /**
   * A network interface of the guest.
   *
   * @param name the network's name in the configuration
   * @param index 0 for the first
   */
  record Vif(String name, int index) {
    /** The guest's interface ({@code eth0}). */
    String guestInterface() {
      return "eth" + index;
    }

    /** The host bridge used when nothing is substituted ({@code br0}), as MirageOS does. */
    String defaultBridge() {
      return "br" + index;
    }
  }

  final List<Disk> disks;
  final List<Vif> vifs;

  private GuestLayout(List<Disk> disks, List<Vif> vifs) {
    this.disks = disks;
    this.vifs = vifs;
  }

  /** The resources of every device, in graph order, each resource once. */
  static GuestLayout of(UnikernelModel model) {
    Set<String> files = new LinkedHashSet<>();
    Set<String> networks = new LinkedHashSet<>();
    for (DeviceNode d : model.devices()) {
      for (HostResource r : d.resources()) {
        if (r instanceof HostResource.Disk disk) {
          files.add(disk.file());
        } else if (r instanceof HostResource.Vif vif) {
          networks.add(vif.name());
        }
      }
    }
    List<Disk> disks = new ArrayList<>();
    int n = 1; // xvda is the guest system's own disk
    for (String f : files) {
      disks.add(new Disk(f, "xvd" + letters(n++)));
    }
    List<Vif> vifs = new ArrayList<>();
    int i = 0;
    for (String name : networks) {
      vifs.add(new Vif(name, i++));
    }
    return new GuestLayout(List.copyOf(disks), List.copyOf(vifs));
  }

  /** The disk that backs host file {@code file}. */
  Disk disk(String file) {
    return disks.stream().filter(d -> d.file().equals(file)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no disk " + file + " in the graph"));
  }

  /** The network interface attached to network {@code name}. */
  Vif vif(String name) {
    return vifs.stream().filter(v -> v.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no network " + name + " in the graph"));
  }

  /** Linux's disk suffixes: 0 is {@code a}, 25 {@code z}, 26 {@code aa} (as mirage-block-xen). */
  static String letters(int n) {
    int high = n / 26 - 1;
    char low = (char) ('a' + n % 26);
    return (high < 0 ? "" : letters(high)) + low;
  }
}
