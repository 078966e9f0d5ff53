package org.mirage4j.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GuestResourcesTest {

  @Test
  void mapsHostResourcesToGuestDevicesInOrder() {
    GuestResources r =
        GuestResources.builder()
            .disk("disk.img", "/dev/xvdb")
            .disk("data.img", "/dev/xvdc")
            .network("net0", "eth0")
            .build();
    assertThat(r.diskDevice("data.img")).hasValue("/dev/xvdc");
    assertThat(r.networkInterface("net0")).hasValue("eth0");
    assertThat(r.networkInterface("net1")).isEmpty();
    assertThat(r.disks().keySet()).containsExactly("disk.img", "data.img").inOrder();
    GuestResources before = GuestResources.current();
    try {
      GuestResources.install(r);
      assertThat(GuestResources.current()).isSameInstanceAs(r);
    } finally {
      GuestResources.install(before);
    }
  }

  @Test
  void aResourceCannotBackTwoDevices() {
    assertThrows(
        IllegalArgumentException.class,
        () -> GuestResources.builder().disk("a.img", "/dev/xvdb").disk("a.img", "/dev/xvdc"));
  }
}
