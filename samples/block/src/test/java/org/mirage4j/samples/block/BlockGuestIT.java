package org.mirage4j.samples.block;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.mirage4j.samples.testing.GuestBoot;

/**
 * The block guest image booted under QEMU with its disk: the .xl's disk.img as a virtio disk whose
 * serial is xvdb, found by the guest as /dev/xvdb; the sector checks pass and the unikernel's exit
 * status ends the boot.
 */
class BlockGuestIT {

  @Test
  void theGuestFindsItsDiskAndPassesItsSectorChecks() throws Exception {
    GuestBoot.assumeBootable();
    try (GuestBoot guest = GuestBoot.start(List.of())) {
      OptionalInt status = guest.waitFor();
      assertThat(guest.console()).contains("sectors: 2048 of 512 bytes, read-write: true");
      assertThat(guest.console()).contains("verified 205 sectors");
      assertThat(status).isEqualTo(OptionalInt.of(0));
    }
  }
}
