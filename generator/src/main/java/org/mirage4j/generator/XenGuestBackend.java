package org.mirage4j.generator;

import org.mirage4j.model.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.UnikernelModel;

/**
 * The {@code xen_guest} kind ({@code xen}, {@code arm}): {@code <name>.xl} and {@code <name>.xl.in}
 * for Xen's {@code xl}, {@code <name>.libvirt.xml} and its template for libvirt, and {@code
 * <name>.guest} for the guest image builder and the boot tools. The kernel and initramfs they name
 * are written next to them by the image builder ({@code mirage:image}, {@code mirage image}).
 */
final class XenGuestBackend implements TargetBackend {

  @Override
  public void check(GeneratorRequest request, Diagnostics diagnostics) {
    UnikernelModel model = request.model();
    if (model.platform().kernelImage().isEmpty()) {
      diagnostics.error(model.location(), Diagnostic.Code.TARGET, "guest target '" + model.target() + "' does not say the kernel image"
          + " format of " + model.arch() + " (target " + model.target() + " : xen_guest arch " + model.arch()
          + " (Image))");
    }
    for (DeviceNode d : model.devices()) {
      for (HostResource r : d.resources()) {
        String text = r instanceof HostResource.Disk disk ? disk.file()
            : r instanceof HostResource.Vif vif ? vif.name() : null;
        if (text != null && !GuestSettings.XL_SAFE.matcher(text).matches()) {
          diagnostics.error(d.location(), Diagnostic.Code.TARGET,
              "device '" + d.name() + "': '" + text + "' cannot be written in a Xen configuration"
                  + " (use letters, digits and _ . / + : @ % ~ -)");
        }
      }
    }
  }

  @Override
  public List<OutputFile> artifacts(GeneratorRequest request, Diagnostics diagnostics) {
    UnikernelModel model = request.model();
    String name = model.name();
    GuestSettings settings = GuestSettings.of(model, diagnostics);
    GuestLayout layout = GuestLayout.of(model);
    XenConfigWriter xen = new XenConfigWriter(model, settings, layout);
    LibvirtWriter libvirt = new LibvirtWriter(model, settings, layout);
    List<OutputFile> files = new ArrayList<>();
    files.add(OutputFile.text(OutputFile.Root.ARTIFACTS, name + ".xl", xen.xl(), false));
    files.add(OutputFile.text(OutputFile.Root.ARTIFACTS, name + ".xl.in", xen.xlIn(), false));
    files.add(OutputFile.text(OutputFile.Root.ARTIFACTS, name + ".libvirt.xml", libvirt.write(request.artifactsDir()), false));
    files.add(OutputFile.text(OutputFile.Root.ARTIFACTS, name + ".libvirt.xml.in", libvirt.writeTemplate(), false));
    files.add(OutputFile.text(OutputFile.Root.ARTIFACTS, GuestDescriptorWriter.fileName(name),
        GuestDescriptorWriter.write(model, settings, layout), false));
    return files;
  }

  @Override
  public String resourceName(GuestLayout layout, HostResource resource) {
    return resource instanceof HostResource.Disk d
        ? layout.disk(d.file()).guestDevice()
        : layout.vif(((HostResource.Vif) resource).name()).guestInterface();
  }
}
