package org.mirage4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.mirage4j.guest.boot.PortForward;
import org.mirage4j.guest.boot.RunningGuest;
import org.mirage4j.guest.image.GuestImageException;
import org.mirage4j.guest.image.PartSources;
import org.mirage4j.tooling.GuestTasks;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mirage boot}: runs the built guest under QEMU. */
@Command(
    name = "boot",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    header = "Boots the built guest image under QEMU, or on Xen nested in QEMU (like mvn mirage:boot).",
    customSynopsis = "mirage boot [--xen] [-t TARGET] [-o DIR] [--forward HOST:GUEST]... [-- UNIKERNEL-OPTIONS...]",
    description = {
      "Boots DIR/mirage/TARGET/NAME.vmlinuz + NAME.initrd under QEMU (KVM where a probe boot shows it works,"
          + " TCG otherwise) with a virtio NIC on QEMU's user network and a virtio disk for each disk of the"
          + " guest, shows its console, and forwards ports of 127.0.0.1 to it: by default every option of type"
          + " port, to the same host port.",
      "With --xen, the guest boots on a real Xen 4.17 nested in QEMU: a dom0 built from Debian's packages creates"
          + " it from its generated .xl with xl create; type 'xl shutdown NAME' to stop it.",
      "The words after -- are the unikernel's options. The exit status is the unikernel's."
    })
final class BootCommand implements Callable<Integer> {

  @Option(names = {"-t", "--target"}, paramLabel = "TARGET", defaultValue = "xen",
      description = "The guest target that was built (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "target",
      description = "The build directory (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--forward", paramLabel = "HOST:GUEST",
      description = "A port of 127.0.0.1 forwarded to the guest's port; repeatable.")
  List<String> forward = new ArrayList<>();

  @Option(names = "--xen", description = "Boot on Xen in a box (Xen nested in QEMU) instead of plain QEMU.")
  boolean xen;

  @Option(names = "--lock", paramLabel = "FILE", defaultValue = "mirage-guest.lock",
      description = "The lock file of the Debian parts (Xen in a box pins its dom0's there; default: ${DEFAULT-VALUE}).")
  Path lock;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
      description = "Stops the guest after this many seconds; 0 for never (default).")
  long timeout;

  @Parameters(paramLabel = "UNIKERNEL-OPTIONS", arity = "0..*", description = "The unikernel's options, after --.")
  List<String> arguments = new ArrayList<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<PortForward> forwards = new ArrayList<>();
    for (String f : forward) {
      try {
        forwards.add(PortForward.parse(f));
      } catch (IllegalArgumentException e) {
        throw new Main.UsageException("--forward: " + e.getMessage());
      }
    }
    Path artifacts = output.resolve("mirage").resolve(target);
    RunningGuest guest;
    try {
      java.util.function.Consumer<String> console = line -> {
        out.println(line);
        out.flush();
      };
      java.util.function.Consumer<String> log = line -> {
        err.println("mirage: " + line);
        err.flush();
      };
      guest = xen
          ? GuestTasks.bootXen(artifacts, arguments, forwards, PartSources.of(lock), console, log)
          : GuestTasks.bootQemu(artifacts, arguments, forwards, PartSources.defaultCacheDir(), console, log);
    } catch (GuestImageException e) {
      err.println("mirage boot: " + e.getMessage());
      return Main.CONFIG_ERROR;
    }
    GuestTasks.forwardInput(System.in, guest);
    Thread stopper = new Thread(guest::close, "mirage-boot-stop");
    Runtime.getRuntime().addShutdownHook(stopper);
    OptionalInt status = guest.waitFor(timeout > 0 ? Duration.ofSeconds(timeout) : Duration.ofDays(365));
    if (guest.isAlive()) {
      guest.close();
      err.println("mirage boot: the guest was still running after " + timeout + " s; stopped it");
      return Main.CONFIG_ERROR;
    }
    if (status.isEmpty()) {
      err.println("mirage boot: the guest stopped without reporting the unikernel's exit status (see its console)");
      return Main.CONFIG_ERROR;
    }
    return status.getAsInt();
  }
}
