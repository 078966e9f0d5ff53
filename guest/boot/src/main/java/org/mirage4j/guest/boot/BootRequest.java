package org.mirage4j.guest.boot;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.mirage4j.guest.image.GuestDescriptor;

/**
 * What to boot and how.
 *
 * @param guest the generated guest (its image must be built next to its descriptor)
 * @param arguments the unikernel's options, passed after {@code --} on the kernel command line
 * @param forwards ports of 127.0.0.1 forwarded to the guest; when empty, every option of type
 *     {@code port} is forwarded to the same port of the host
 * @param diskDir where the guest's disk files are (created empty, 1 MiB, when missing)
 * @param cacheDir the user's cache (the KVM probe's answer is kept there)
 * @param console where the guest's console lines go
 * @param log where the boot tool's own progress lines go
 */
public record BootRequest(
    GuestDescriptor guest,
    List<String> arguments,
    List<PortForward> forwards,
    Path diskDir,
    Path cacheDir,
    Consumer<String> console,
    Consumer<String> log) {

  /** Requires every component; copies the lists. */
  public BootRequest {
    Objects.requireNonNull(guest, "guest");
    arguments = List.copyOf(arguments);
    forwards = List.copyOf(forwards);
    Objects.requireNonNull(diskDir, "diskDir");
    Objects.requireNonNull(cacheDir, "cacheDir");
    Objects.requireNonNull(console, "console");
    Objects.requireNonNull(log, "log");
  }
}
