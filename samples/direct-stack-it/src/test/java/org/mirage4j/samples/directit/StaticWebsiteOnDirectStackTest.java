package org.mirage4j.samples.directit;

import org.mirage4j.testing.netns.Netns;
import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code static-website} sample, configured with {@code net=direct} (mirage4j's own TCP/IP stack
 * over a TAP device), serves its page to {@code curl}.
 *
 * <p>The topology is that of the TAP driver's integration test: everything lives in a network
 * namespace this test creates. The TAP device is made there ({@code ip tuntap}), the kernel's end of
 * it gets 10.78.0.1/24, and the generated unikernel runs in a child JVM started inside the namespace
 * ({@code ip netns exec}) with {@code --interface} naming the device, {@code --ipv4=10.78.0.2/24}
 * and {@code --ipv6=fd78::2/64}; {@code curl}, also run inside the namespace, fetches {@code /}
 * through the kernel's stack and the TAP device from the unikernel's direct stack, over IPv4 and
 * over IPv6. Nothing outside the namespace is touched. Skipped with
 * a printed reason where the machine cannot (not root, no {@code ip}, no {@code /dev/net/tun}, no
 * {@code curl}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StaticWebsiteOnDirectStackTest {

  static final String NS = "m4j-web-" + ProcessHandle.current().pid();
  static final String DEV = "m4jweb0";
  static final String KERNEL_IP = "10.78.0.1";
  static final String STACK_IP = "10.78.0.2";
  static final String KERNEL_IP6 = "fd78::1";
  static final String STACK_IP6 = "fd78::2";

  @Test
  void servesItsPageToCurlThroughATapDevice(@TempDir Path out) throws Exception {
    String why = unavailableReason();
    if (why != null) {
      System.out.println("SKIPPED StaticWebsiteOnDirectStackTest: " + why);
    }
    Assumptions.assumeTrue(why == null, why);

    Path sample = Path.of(System.getProperty("mirage.samplesDir")).resolve("static-website").toAbsolutePath().normalize();
    String wiring = GeneratedUnikernel.generateAndCompile(sample, out, Map.of("net", "direct"),
        "org.mirage4j.drivers.direct.DirectStack", "org.mirage4j.drivers.tap.TapNetwork");
    String childClasspath = out.resolve("classes") + File.pathSeparator + out.resolve("generated-resources/mirage")
        + File.pathSeparator + System.getProperty("java.class.path");

    Process unikernel = null;
    List<String> transcript = Collections.synchronizedList(new ArrayList<>());
    try {
      Netns.must("ip", "netns", "add", NS);
      Netns.must("ip", "-n", NS, "link", "set", "lo", "up");
      Netns.must("ip", "-n", NS, "tuntap", "add", "dev", DEV, "mode", "tap");
      Netns.must("ip", "-n", NS, "addr", "add", KERNEL_IP + "/24", "dev", DEV);
      Netns.must("ip", "-n", NS, "-6", "addr", "add", KERNEL_IP6 + "/64", "dev", DEV, "nodad");
      Netns.must("ip", "-n", NS, "link", "set", DEV, "up");

      unikernel = new ProcessBuilder(
              "ip", "netns", "exec", NS,
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp", childClasspath, wiring,
              "--interface=" + DEV, "--ipv4=" + STACK_IP + "/24", "--ipv6=" + STACK_IP6 + "/64")
          .directory(out.toFile())
          .redirectErrorStream(true)
          .start();
      CompletableFuture<Void> serving = new CompletableFuture<>();
      GeneratedUnikernel.pump(unikernel.getInputStream(), transcript, "serving htdocs", serving);
      try {
        serving.get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("the unikernel did not say it serves htdocs:\n" + String.join("\n", transcript), e);
      }

      byte[] index = Files.readAllBytes(sample.resolve("htdocs/index.html"));
      Netns.Result r = Netns.run(60, "ip", "netns", "exec", NS, "curl", "-sS", "--max-time", "30", "--retry", "2",
          "http://" + STACK_IP + ":8080/");
      assertWithMessage("curl: %s\nunikernel:\n%s", r.stderr(), String.join("\n", transcript))
          .that(r.exit()).isEqualTo(0);
      assertThat(r.out()).contains("Hello from a mirage4j unikernel");
      assertThat(r.stdout()).isEqualTo(index);

      Netns.Result css = Netns.run(60, "ip", "netns", "exec", NS, "curl", "-sS", "--max-time", "30", "-o", "/dev/null",
          "-w", "%{http_code} %{content_type}", "http://" + STACK_IP + ":8080/style.css");
      assertThat(css.exit()).isEqualTo(0);
      assertThat(css.out()).startsWith("200 text/css");
      Netns.Result missing = Netns.run(60, "ip", "netns", "exec", NS, "curl", "-sS", "--max-time", "30", "-o", "/dev/null",
          "-w", "%{http_code}", "http://" + STACK_IP + ":8080/nope.html");
      assertThat(missing.out()).isEqualTo("404");
      // the same over IPv6 (the dual stack of default_stack): retried while duplicate address
      // detection of --ipv6 still runs, about a second after start
      Netns.Result v6 = Netns.run(60, "ip", "netns", "exec", NS, "curl", "-sS", "-g", "--max-time", "30",
          "--retry", "10", "--retry-delay", "1", "--retry-all-errors", "http://[" + STACK_IP6 + "]:8080/");
      assertWithMessage("curl over IPv6: %s\nunikernel:\n%s", v6.stderr(), String.join("\n", transcript))
          .that(v6.exit()).isEqualTo(0);
      assertThat(v6.stdout()).isEqualTo(index);
      System.out.println("static-website on the direct stack (" + DEV + " in " + NS + ") served "
          + index.length + " bytes of index.html to curl");
    } finally {
      if (unikernel != null) {
        unikernel.destroy();
        if (!unikernel.waitFor(10, TimeUnit.SECONDS)) {
          unikernel.destroyForcibly();
          unikernel.waitFor(10, TimeUnit.SECONDS);
        }
      }
      Netns.run(30, "ip", "-n", NS, "link", "del", DEV);
      Netns.run(30, "ip", "netns", "del", NS);
    }
  }

  /** Why this machine cannot run the test, or null if it can. */
  static String unavailableReason() {
    String why = Netns.unavailableReason();
    if (why == null && !Netns.has("curl")) {
      why = "no `curl` command";
    }
    return why;
  }
}
