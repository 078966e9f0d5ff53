package org.mirage4j.samples.hello;

import static com.google.common.truth.Truth.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.mirage4j.samples.testing.GuestBoot;

/** The hello guest booted under QEMU prints hello four times on its console and powers off with status 0. */
class HelloGuestIT {

  @Test
  void theGuestSaysHelloFourTimes() throws Exception {
    GuestBoot.assumeBootable();
    try (GuestBoot guest = GuestBoot.start(List.of())) {
      OptionalInt status = guest.waitFor();
      assertThat(guest.console().stream().filter(l -> l.equals("hello")).count()).isEqualTo(4);
      assertThat(status).isEqualTo(OptionalInt.of(0));
    }
  }
}
