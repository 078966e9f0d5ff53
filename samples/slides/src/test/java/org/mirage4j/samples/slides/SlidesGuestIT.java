package org.mirage4j.samples.slides;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.mirage4j.samples.testing.GuestBoot;

/**
 * The slides guest image (xen or arm build) booted under QEMU, or on Xen in a box with {@code
 * -Dmirage.boot=xen}: mirage4j's own stack answers on the guest's NIC (virtio, or netfront through
 * dom0's bridge) and serves the deck, on the port given after {@code --} on the kernel command
 * line. On Xen, {@code xl shutdown} then stops the unikernel cleanly.
 */
class SlidesGuestIT {

  @Test
  void theGuestServesTheDeckOnThePortItsOptionSays() throws Exception {
    GuestBoot.assumeBootable();
    try (GuestBoot guest = GuestBoot.start(List.of(9090, 8080), "--port=9090")) {
      HttpResponse<String> index = guest.awaitHttp(9090, "/");
      System.out.printf("first HTTP %d after %.1f s of QEMU%n", index.statusCode(), guest.uptimeSeconds());
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.body()).contains("MirageOS's idea, done for Java");
      HttpClient client = HttpClient.newHttpClient();
      for (String path : List.of("/reveal.js/reveal.js", "/css/mirage4j.css", "/graph/slides-xen.svg")) {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + guest.hostPort(9090) + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      // (on Xen the guest's console reaches the box's through dom0, a moment later)
      assertThat(guest.awaitConsole(l -> l.equals("slides: open http://localhost:9090/ in a browser (Ctrl-C stops)")))
          .isPresent();
      // nothing listens on the default port: the option took effect
      assertThrows(IOException.class, () -> client.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + guest.hostPort(8080) + "/")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()));
      if (GuestBoot.onXen()) {
        // Xen's parser accepted the generated .xl (and every other one the build gave), and
        // xl shutdown closes the unikernel's devices before the guest powers off
        assertThat(guest.console()).contains("mirage4j-xenbox: xl -N create accepts slides.xl");
        assertThat(guest.console().stream().filter(l -> l.contains("xl -N create refuses")).toList()).isEmpty();
        assertThat(guest.console().stream().filter(l -> l.contains("xl -N create accepts check/")).count())
            .isEqualTo(GuestBoot.xlToCheck().size());
        // xl reboot stops the unikernel and reboots the guest; xl creates it again (as it does
        // after a triple fault early in a nested guest's boot), and the box waits for it
        guest.send("xl reboot slides");
        assertThat(guest.awaitConsole(l -> l.startsWith("mirage4j-xenbox: slides rebooted; xl created it again")))
            .isPresent();
        assertThat(guest.console().stream().anyMatch(l -> l.contains("mirage4j-guest: slides exited with status 143; rebooting")))
            .isTrue();
        HttpResponse<String> again = guest.awaitHttp(9090, "/");
        System.out.printf("HTTP %d after the reboot, at %.1f s of QEMU%n", again.statusCode(), guest.uptimeSeconds());
        assertThat(again.statusCode()).isEqualTo(200);
        guest.send("xl shutdown slides");
        assertThat(guest.waitFor()).isEqualTo(OptionalInt.of(143));
        assertThat(guest.console()).contains("mirage4j-xenbox: slides is gone (exit status 143)");
        assertThat(guest.console().stream().anyMatch(l -> l.startsWith("slides: stopping: closing "))).isTrue();
      }
    }
  }
}
