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
import org.junit.jupiter.api.Test;
import org.mirage4j.samples.testing.GuestBoot;

/**
 * The slides guest image (xen or arm build) booted under QEMU: mirage4j's own stack answers on the
 * guest's NIC and serves the deck, on the port given after {@code --} on the kernel command line.
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
      for (String path : List.of("/css/deck.css", "/js/deck.js")) {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + guest.hostPort(9090) + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      assertThat(guest.console()).contains("slides: open http://localhost:9090/ in a browser (Ctrl-C stops)");
      // nothing listens on the default port: the option took effect
      assertThrows(IOException.class, () -> client.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + guest.hostPort(8080) + "/")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
  }
}
