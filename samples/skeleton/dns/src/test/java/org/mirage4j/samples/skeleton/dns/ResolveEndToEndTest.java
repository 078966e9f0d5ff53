package org.mirage4j.samples.skeleton.dns;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.host.HostTools;
import org.mirage4j.samples.testing.UnikernelProcess;

/**
 * As the original: the name's IPv4 address logged as {@code name: address}, status 0; a name that
 * does not exist fails the unikernel. The resolver is Debian's dnsmasq on loopback, answering
 * {@code *.test} from a hosts file of the test's (skipped with the reason where dnsmasq is missing
 * and cannot be installed), as drivers/dns's tests do.
 */
class ResolveEndToEndTest {

  private static final Pattern LINE =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z: \\[(\\w+)\\] \\[application\\] (.*)$");

  @TempDir static Path dnsDir;
  static Process dnsmasq;
  static int port;

  @BeforeAll
  static void startResolver() throws Exception {
    String why = HostTools.unavailable("dnsmasq", "dnsmasq-base");
    if (why != null) {
      return;
    }
    Path hosts = dnsDir.resolve("hosts");
    Files.write(hosts, List.of("10.0.0.5 web.test", "fd00::5 web.test", "fd00::6 v6only.test"));
    for (int attempt = 0; attempt < 5 && dnsmasq == null; attempt++) {
      int p = freePort();
      List<String> command = new ArrayList<>(List.of(HostTools.find("dnsmasq").orElseThrow().toString(),
          "--keep-in-foreground", "--port=" + p, "--listen-address=127.0.0.1", "--bind-interfaces",
          "--no-resolv", "--no-hosts", "--conf-file=/dev/null", "--addn-hosts=" + hosts, "--pid-file=",
          "--log-facility=-", "--cache-size=0", "--local=/test/"));
      if (HostTools.isRoot()) {
        command.add("--user=root");
      }
      Process started = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dnsDir.resolve("dnsmasq-" + p + ".log").toFile()).start();
      if (listening(started, p)) {
        dnsmasq = started;
        port = p;
      } else {
        started.destroy();
      }
    }
  }

  @AfterAll
  static void stopResolver() throws Exception {
    if (dnsmasq != null) {
      dnsmasq.destroy();
      if (!dnsmasq.waitFor(10, TimeUnit.SECONDS)) {
        dnsmasq.destroyForcibly();
      }
    }
  }

  private static void needResolver() {
    Assumptions.assumeTrue(dnsmasq != null,
        () -> "dnsmasq: " + HostTools.unavailable("dnsmasq", "dnsmasq-base"));
  }

  record Outcome(int status, List<String> messages, List<String> stdout, List<String> stderr) {}

  private static Outcome run(Path dir, String... args) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, args)) {
      int status = p.awaitExit();
      List<String> messages = p.stdout().stream().map(LINE::matcher).filter(Matcher::matches)
          .map(m -> m.group(1) + " " + m.group(2)).toList();
      return new Outcome(status, messages, p.stdout(), p.stderr());
    }
  }

  @Test
  void logsTheAddressOfTheName(@TempDir Path dir) throws Exception {
    needResolver();
    Outcome o = run(dir, "--domain-name=web.test", "--nameservers=127.0.0.1:" + port);
    assertThat(o.status()).isEqualTo(0);
    assertThat(o.messages()).containsExactly("INFO web.test: 10.0.0.5");
    assertThat(o.stdout()).hasSize(1);
  }

  @Test
  void aNameWithoutAnAddressFails(@TempDir Path dir) throws Exception {
    needResolver();
    for (String name : List.of("nope.test", "v6only.test")) {
      Outcome o = run(dir, "--domain-name=" + name, "--nameservers=127.0.0.1:" + port, "--dns-retries=0");
      assertThat(o.status()).isEqualTo(1);
      assertThat(o.messages()).isEmpty();
      assertThat(String.join("\n", o.stderr())).contains(name);
    }
  }

  @Test
  void theNameIsRequiredAndAHostName(@TempDir Path dir) throws Exception {
    Outcome missing = run(dir);
    assertThat(missing.status()).isEqualTo(64);
    assertThat(missing.stderr()).hasSize(1);
    assertThat(missing.stderr().get(0)).contains("--domain-name");
    Outcome bad = run(dir, "--domain-name=not_a host");
    assertThat(bad.status()).isEqualTo(64);
    assertThat(bad.stderr()).hasSize(1);
    assertThat(bad.stderr().get(0)).contains("invalid host name 'not_a host'");
  }

  private static boolean listening(Process p, int port) throws InterruptedException {
    for (int i = 0; i < 200 && p.isAlive(); i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException e) {
        Thread.sleep(25);
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
        int p = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket(p, 1, InetAddress.getByName("127.0.0.1"))) {
          return tcp.getLocalPort();
        } catch (IOException e) {
          // taken for TCP: try another
        }
      }
    }
    throw new IOException("no free port for dnsmasq");
  }
}
