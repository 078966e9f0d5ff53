package org.mirage4j.generator;

import java.util.List;

/** The targets the generator knows and what each needs. */
final class Targets {

  static final String UNIX = "unix";
  static final String XEN = "xen";
  static final String ARM = "arm";

  /** Every target, in the order documentation lists them. */
  static final List<String> ALL = List.of(UNIX, XEN, ARM);

  private Targets() {}

  /** Whether the target is a Xen guest (gets {@code .xl}, libvirt and {@code GuestResources}). */
  static boolean isGuest(String target) {
    return target.equals(XEN) || target.equals(ARM);
  }

  /** The architectures a target can be built for. */
  static List<String> architectures(String target) {
    switch (target) {
      case UNIX:
        return List.of("x86_64", "aarch64", "armv7");
      case XEN:
        return List.of("x86_64");
      case ARM:
        return List.of("aarch64", "armv7");
      default:
        return List.of();
    }
  }
}
