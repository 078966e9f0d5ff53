package org.mirage4j.generator;

import java.util.List;
import org.mirage4j.model.HostResource;

/** The {@code process} kind ({@code unix}): a launcher script next to the jar. */
final class ProcessBackend implements TargetBackend {

  @Override
  public void check(GeneratorRequest request, Diagnostics diagnostics) {
    // a process has nothing beyond the wiring to check
  }

  @Override
  public List<OutputFile> artifacts(GeneratorRequest request, Diagnostics diagnostics) {
    String name = request.model().name();
    return List.of(OutputFile.text(OutputFile.Root.ARTIFACTS, name,
        new LauncherWriter(request.model(), WiringWriter.className(request), request.launcherClasspath()).write(),
        true));
  }

  @Override
  public String resourceName(GuestLayout layout, HostResource resource) {
    return resource instanceof HostResource.Disk d ? d.file() : ((HostResource.Vif) resource).name();
  }
}
