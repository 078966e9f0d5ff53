package org.mirage4j.samples.skeleton.ping6;

import static com.google.common.truth.Truth.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.testing.netns.Netns;

/**
 * As the original, against the Linux kernel over a TAP device in a network namespace made for the
 * test: the kernel's ping6 is answered (by the IPv6 layer, which logs nothing), and what else the
 * kernel sends is logged as the original logs it: UDP and TCP over IPv6 as warnings {@code src >
 * dst UDP}, another IPv6 protocol as {@code 253 DEFAULT}, ARP as {@code ARP4} and IPv4 as {@code
 * IP4}; SIGTERM ends it (143). Skipped with the reason without root, {@code ip}, /dev/net/tun or
 * python3 (which sends the ICMPv6 echo requests and the other packets from the kernel's side).
 */
class PingEndToEndTest {

  private static final String TAP = "m4jtap0";
  private static final String KERNEL6 = "fd00:6::1";
  private static final String STACK6 = "fd00:6::2";
  private static final Pattern LINE =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z: \\[(\\w+)\\] \\[application\\] (.*)$");

  private final String ns = "m4j-ping6-" + ProcessHandle.current().pid();
  private Process unikernel;

  @AfterEach
  void cleanUp() throws Exception {
    if (unikernel != null && unikernel.isAlive()) {
      unikernel.destroyForcibly();
      unikernel.waitFor(10, TimeUnit.SECONDS);
    }
    Netns.run(30, "ip", "netns", "del", ns);
  }

  @Test
  void answersPing6AndLogsEverythingElse(@TempDir Path dir) throws Exception {
    String target = System.getProperty("mirage.target", "unix");
    String why = target.equals("unix") ? Netns.unavailableReason()
        : "target " + target + ": this test runs the unikernel on the host";
    if (why == null && !Netns.has("python3")) {
      why = "no python3 (it sends the kernel's ICMPv6 echo requests and other packets)";
    }
    if (why != null) {
      System.out.println("SKIPPED PingEndToEndTest: " + why);
    }
    Assumptions.assumeTrue(why == null, why);
    Netns.must("ip", "netns", "add", ns);
    Netns.must("ip", "-n", ns, "link", "set", "lo", "up");
    Netns.must("ip", "-n", ns, "tuntap", "add", "dev", TAP, "mode", "tap");
    Netns.must("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf." + TAP + ".accept_dad=0");
    Netns.must("ip", "-n", ns, "addr", "add", "10.79.6.1/24", "dev", TAP);
    Netns.must("ip", "-n", ns, "-6", "addr", "add", KERNEL6 + "/64", "dev", TAP, "nodad");
    Netns.must("ip", "-n", ns, "link", "set", TAP, "up");

    Path out = dir.resolve("stdout");
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
        wiringClass(), "--interface=" + TAP, "--ipv6=" + STACK6 + "/64"));
    unikernel = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();

    // the kernel pings until the address is usable (after duplicate address detection), then
    // three echo requests must all be answered
    assertThat(python(20, PING_UNTIL_ANSWERED, STACK6).exit()).isEqualTo(0);
    Netns.Result three = Netns.run(30, "ip", "netns", "exec", ns, "python3", resource("icmp6_ping.py").toString(), STACK6);
    assertThat(three.out()).contains("3/3 echo replies");
    assertThat(messages(out)).isEmpty(); // ICMPv6 is the IPv6 layer's: nothing for the job

    // the unikernel's MAC, from the kernel's neighbour table, for an IPv4 frame sent to it
    String neigh = Netns.run(10, "ip", "-n", ns, "-6", "neigh", "show", STACK6, "dev", TAP).out();
    Matcher mac = Pattern.compile("lladdr ([0-9a-f:]{17})").matcher(neigh);
    assertThat(mac.find()).isTrue();
    Netns.must("ip", "-n", ns, "neigh", "replace", "10.79.6.3", "lladdr", mac.group(1), "dev", TAP);
    assertThat(python(20, SEND_OTHERS, STACK6).exit()).isEqualTo(0);

    List<String> expected = List.of("WARNING " + KERNEL6 + " > " + STACK6 + " UDP",
        "WARNING " + KERNEL6 + " > " + STACK6 + " TCP", "ERROR 253 DEFAULT", "ERROR ARP4", "ERROR IP4");
    List<String> seen = awaitAll(out, expected);
    assertThat(seen).containsAtLeastElementsIn(expected);
    // nothing but those (the kernel may repeat its SYN and its ARP requests)
    assertThat(Set.copyOf(seen)).containsExactlyElementsIn(expected);

    unikernel.destroy(); // SIGTERM: ip netns exec has exec'd the JVM
    assertThat(unikernel.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(unikernel.exitValue()).isEqualTo(143);
  }

  /** Sends ICMPv6 echo requests every 0.2 s until one is answered; exit 0 then, 1 after 15 s. */
  private static final String PING_UNTIL_ANSWERED = String.join("\n",
      "import socket, struct, sys, time",
      "s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)",
      "s.settimeout(0.2)",
      "end = time.time() + 15",
      "seq = 0",
      "while time.time() < end:",
      "    seq += 1",
      "    try:",
      "        s.sendto(struct.pack('!BBHHH', 128, 0, 0, 0x6d34, seq) + b'ping6', (sys.argv[1], 0))",
      "        while True:",
      "            d, a = s.recvfrom(2048)",
      "            if d[0] == 129 and struct.unpack('!HH', d[4:8]) == (0x6d34, seq):",
      "                sys.exit(0)",
      "    except (socket.timeout, OSError):",
      "        time.sleep(0.1)",
      "sys.exit(1)");

  /** UDP and a TCP SYN over IPv6, a datagram of protocol 253, IPv4 to an unknown and a known MAC. */
  private static final String SEND_OTHERS = String.join("\n",
      "import socket, sys, time",
      "socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).sendto(b'mirage4j', (sys.argv[1], 7))",
      "t = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)",
      "t.setblocking(False)",
      "try:",
      "    t.connect((sys.argv[1], 80))",
      "except BlockingIOError:",
      "    pass",
      "socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253).sendto(b'mirage4j', (sys.argv[1], 0))",
      "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
      "u.sendto(b'mirage4j', ('10.79.6.2', 7))",
      "u.sendto(b'mirage4j', ('10.79.6.3', 7))",
      "time.sleep(0.5)");

  private Netns.Result python(int timeoutSeconds, String script, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "python3", "-c", script));
    cmd.addAll(List.of(args));
    return Netns.run(timeoutSeconds, cmd.toArray(String[]::new));
  }

  /** The application's messages so far, as {@code LEVEL message}. */
  private static List<String> messages(Path out) throws IOException {
    return Files.readAllLines(out, StandardCharsets.UTF_8).stream().map(LINE::matcher).filter(Matcher::matches)
        .map(m -> m.group(1) + " " + m.group(2)).toList();
  }

  /** Waits (a safety net of 30 s, not a measure) until every expected message was logged. */
  private List<String> awaitAll(Path out, List<String> expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<String> seen = messages(out);
    while (!seen.containsAll(expected) && System.nanoTime() < deadline && unikernel.isAlive()) {
      Thread.sleep(100);
      seen = messages(out);
    }
    return seen;
  }

  private static String wiringClass() throws IOException {
    Properties p = new Properties();
    Path info = Path.of(System.getProperty("mirage.buildDir", "target"), "mirage", "unikernel.properties");
    try (InputStream in = Files.newInputStream(info)) {
      p.load(in);
    }
    return p.getProperty("main-class");
  }

  private static Path resource(String name) throws IOException {
    Path script = Files.createTempFile(name.replace(".py", ""), ".py");
    try (InputStream in = PingEndToEndTest.class.getResourceAsStream("/" + name)) {
      Files.write(script, in.readAllBytes());
    }
    script.toFile().deleteOnExit();
    return script;
  }
}
