package org.mirage4j.guest.image;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.guest.elf.TestElf;

class KernelModulesTest {

  private static void module(Path root, String path, String name, String depends) throws Exception {
    Path f = root.resolve("lib/modules/6.1.0-test/kernel").resolve(path);
    Files.createDirectories(f.getParent());
    Files.write(f, TestElf.module(name, depends));
  }

  @Test
  void dependenciesLoadFirstEachOnceAndMissingOnesAreLeftOut(@TempDir Path root) throws Exception {
    module(root, "drivers/virtio/virtio_ring.ko", "virtio_ring", "");
    module(root, "drivers/virtio/virtio.ko", "virtio", "virtio_ring");
    module(root, "drivers/virtio/virtio_pci.ko", "virtio_pci", "virtio,virtio_ring");
    module(root, "net/core/failover.ko", "failover", "");
    module(root, "drivers/net/net_failover.ko", "net_failover", "failover");
    module(root, "drivers/net/virtio_net.ko", "virtio_net", "virtio,virtio_ring,net_failover");
    module(root, "drivers/net/xen-netfront.ko", "xen_netfront", "");
    KernelModules m = KernelModules.of(root);
    assertThat(m.release()).isEqualTo("6.1.0-test");
    List<String> order = m.loadOrder(List.of("xen-netfront", "xen-blkfront", "virtio_pci", "virtio_net"))
        .stream().map(KernelModules.Module::name).toList();
    assertThat(order).containsExactly(
        "xen_netfront", "virtio_ring", "virtio", "virtio_pci", "failover", "net_failover", "virtio_net").inOrder();
    assertThat(m.loadOrder(List.of("xen-netfront")).get(0).file()).isEqualTo("kernel/drivers/net/xen-netfront.ko");
  }

  @Test
  void anUnknownDependencyOrACycleIsAnError(@TempDir Path root) throws Exception {
    module(root, "a.ko", "a", "b");
    module(root, "b.ko", "b", "a");
    module(root, "c.ko", "c", "nowhere");
    KernelModules m = KernelModules.of(root);
    assertThat(assertThrows(GuestImageException.class, () -> m.loadOrder(List.of("a"))))
        .hasMessageThat().contains("cycle: a -> b -> a");
    assertThat(assertThrows(GuestImageException.class, () -> m.loadOrder(List.of("c"))))
        .hasMessageThat().contains("kernel module c depends on nowhere, which kernel 6.1.0-test does not have");
  }
}
