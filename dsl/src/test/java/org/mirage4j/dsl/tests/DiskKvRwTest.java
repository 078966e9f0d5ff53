package org.mirage4j.dsl.tests;

import static com.google.common.truth.Truth.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mirage4j.dsl.frontend.MirageFrontEnd;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.UnikernelModel;

/** {@code disk_kv_rw}: a read-write store on a block device, the same line on every target. */
class DiskKvRwTest {

  private static UnikernelModel model(String target) {
    MirageFrontEnd.Outcome o = Fixtures.lower("good/disk_store.mirage", target, Map.of());
    assertThat(Fixtures.strings(o.diagnostics())).isEmpty();
    return o.model();
  }

  private static DeviceNode driven(UnikernelModel m, String driver) {
    return m.devices().stream().filter(d -> d.driverName().equals(driver)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + driver + " in " + m.devices()));
  }

  @Test
  void onUnixTheStoreIsInAFile() {
    UnikernelModel m = model("unix");
    DeviceNode store = driven(m, "block_kv_rw");
    assertThat(store.driverClass()).isEqualTo("org.mirage4j.drivers.blockkv.BlockKvRw");
    DeviceNode disk = driven(m, "file_block");
    assertThat(store.dependencies()).containsExactly(disk.id());
    assertThat(disk.resources()).isEmpty();
  }

  @Test
  void onGuestsTheStoreIsOnTheGuestsDisk() {
    for (String target : new String[] {"xen", "arm"}) {
      UnikernelModel m = model(target);
      DeviceNode store = driven(m, "block_kv_rw");
      DeviceNode disk = driven(m, "xen_block");
      assertThat(store.dependencies()).containsExactly(disk.id());
      assertThat(disk.resources()).containsExactly(new HostResource.Disk("store.img"));
    }
  }
}
