package org.mirage4j.generator;

import java.util.List;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.TargetKind;

/**
 * What the generator writes for one kind of target besides the wiring class and the crunched
 * resources: a launcher for a process, the guest configurations for a Xen guest. The kind comes
 * from the target's declaration in the language ({@code target xen : xen_guest ...}), so the
 * generator never compares target names; a new target of a known kind needs no Java, a new kind
 * needs one backend.
 */
interface TargetBackend {

  /** The backend of a kind. */
  static TargetBackend of(TargetKind kind) {
    return switch (kind) {
      case PROCESS -> new ProcessBackend();
      case XEN_GUEST -> new XenGuestBackend();
    };
  }

  /** Reports what the backend cannot write for this request (before anything is written). */
  void check(GeneratorRequest request, Diagnostics diagnostics);

  /** The target's artifacts, under {@link GeneratorRequest#artifactsDir()}. */
  List<OutputFile> artifacts(GeneratorRequest request, Diagnostics diagnostics);

  /**
   * Where the program finds a {@code vif} or {@code disk} resource, which a driver that needs it
   * receives after its declared parameters: in a guest, the device the guest's configuration
   * attaches for it ({@code eth0}, {@code /dev/xvdb}, as {@code layout} numbers them); in a process,
   * the host's own name for it.
   */
  String resourceName(GuestLayout layout, HostResource resource);
}
