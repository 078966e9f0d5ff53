package org.mirage4j.drivers.dns;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mirage4j.host.HostTools;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code dnsmasq} as a real resolver on loopback for tests, answering only from what it
 * is given (no upstream, no /etc/hosts). Tests skip with a reason where it is not installed
 * ({@code .ci/run} installs {@code dnsmasq-base}).
 */
public final class Dnsmasq implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private Dnsmasq(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The dnsmasq binary (Debian's dnsmasq-base installed first if it may be), or null if there is none. */
  static synchronized String binary() {
    if (unavailable == null) {
      unavailable = HostTools.unavailable("dnsmasq", "dnsmasq-base");
      unavailable = unavailable == null ? "" : unavailable;
    }
    return unavailable.isEmpty() ? HostTools.find("dnsmasq").map(Path::toString).orElse(null) : null;
  }

  /** Why dnsmasq is not there ("" when it is), once per test JVM. */
  private static String unavailable;

  /** Whether dnsmasq is installed. */
  public static boolean available() {
    return binary() != null;
  }

  /** Why dnsmasq cannot be run here, for a test's skip message. */
  public static String unavailableReason() {
    binary();
    return unavailable.isEmpty() ? null : unavailable;
  }

  /**
   * Starts dnsmasq on a free port of 127.0.0.1 (UDP and TCP).
   *
   * @param dir where its hosts file and log go
   * @param hosts lines of a hosts file ({@code 10.0.0.1 name})
   * @param options more dnsmasq options ({@code --cname=a.test,b.test})
   */
  public static Dnsmasq start(Path dir, List<String> hosts, String... options) throws IOException {
    String binary = binary();
    if (binary == null) {
      throw new IOException("dnsmasq is not installed");
    }
    Path hostsFile = dir.resolve("hosts");
    Files.write(hostsFile, hosts);
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      Path log = dir.resolve("dnsmasq-" + port + ".log");
      List<String> command = new ArrayList<>(List.of(binary, "--keep-in-foreground", "--port=" + port,
          "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
          "--addn-hosts=" + hostsFile, "--pid-file=", "--log-facility=-", "--cache-size=0"));
      if ("root".equals(System.getProperty("user.name"))) {
        command.add("--user=root");
      }
      command.addAll(List.of(options));
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (awaitListening(p, port)) {
        return new Dnsmasq(p, port, log);
      }
      p.destroy();
      last = new IOException("dnsmasq did not start: " + Files.readString(log));
    }
    throw last;
  }

  private static boolean awaitListening(Process p, int port) throws IOException {
    for (int i = 0; i < 200 && p.isAlive(); i++) {
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return true;
      } catch (IOException e) {
        try {
          Thread.sleep(25);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
        int port = udp.getLocalPort();
        try (ServerSocket tcp = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
          return port;
        } catch (IOException e) {
          // taken for TCP: try another
        }
      }
    }
    throw new IOException("no free port for dnsmasq");
  }

  /** Where it answers. */
  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /** The port it answers on. */
  public int port() {
    return port;
  }

  /** What it logged. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
