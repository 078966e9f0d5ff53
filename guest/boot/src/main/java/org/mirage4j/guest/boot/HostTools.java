package org.mirage4j.guest.boot;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.mirage4j.guest.image.GuestImageException;
import org.mirage4j.host.MissingHostToolException;

/**
 * The host's commands the boot tools run (QEMU, and for Xen in a box the device-tree compiler), from
 * {@link org.mirage4j.host.HostTools}, with a missing one reported as the guest tools' error.
 */
final class HostTools {

  private HostTools() {}

  static Optional<Path> find(String command) {
    return org.mirage4j.host.HostTools.find(command);
  }

  static boolean canInstall() {
    return org.mirage4j.host.HostTools.canInstall();
  }

  static boolean isRoot() {
    return org.mirage4j.host.HostTools.isRoot();
  }

  /** The command, installed first if it is missing and may be; else the error names the package. */
  static Path require(String command, String debianPackage, Consumer<String> log) throws GuestImageException {
    try {
      return org.mirage4j.host.HostTools.require(command, debianPackage, log);
    } catch (MissingHostToolException e) {
      throw new GuestImageException(e.getMessage(), e);
    }
  }
}
