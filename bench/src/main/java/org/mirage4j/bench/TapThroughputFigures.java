package org.mirage4j.bench;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mirage4j.api.Flow;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.MonotonicClock;
import org.mirage4j.api.RandomSource;
import org.mirage4j.api.TcpListener;
import org.mirage4j.drivers.direct.ArpLayer;
import org.mirage4j.drivers.direct.DirectStack;
import org.mirage4j.drivers.direct.EthernetLayer;
import org.mirage4j.drivers.direct.IcmpLayer;
import org.mirage4j.drivers.direct.StaticIpv4;
import org.mirage4j.drivers.direct.TcpLayer;
import org.mirage4j.drivers.direct.UdpLayer;
import org.mirage4j.drivers.tap.TapNetwork;

/**
 * Bulk TCP throughput and ping RTT over a TAP device, through mirage4j's direct stack and through the
 * Linux kernel's stack, in the same run. Needs root (it creates network namespaces, TAP and veth
 * devices, all removed at the end; no address outside those namespaces is touched).
 *
 * <ul>
 *   <li><b>direct</b>: namespace {@code m4jb-d-PID} holds TAP device {@code m4jbd0}; the kernel's end
 *       is 10.79.0.1/24, the direct stack (in this JVM, on the TAP's file descriptor) 10.79.0.2. The
 *       transfer runs between the direct stack and a kernel socket in the namespace, both ways.
 *   <li><b>kernel over TAP</b>: namespaces {@code m4jb-a-PID} and {@code m4jb-b-PID} each hold a TAP
 *       device (10.80.0.1/24, 10.80.0.2/24) and this JVM copies frames between the two TAP file
 *       descriptors, as a wire: the kernel's TCP on both ends, the same TAP path as the direct stack
 *       (crossed twice).
 *   <li><b>kernel over veth</b>: namespaces {@code m4jb-c-PID} and {@code m4jb-e-PID} joined by a veth
 *       pair (10.81.0.1/24, 10.81.0.2/24): the kernel alone, the ceiling.
 * </ul>
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar org.mirage4j.bench.TapThroughputFigures
 * [MiB=200] [pings=200]}.
 */
public final class TapThroughputFigures {

  private static final long PID = ProcessHandle.current().pid();
  private static final String NS_D = "m4jb-d-" + PID;
  private static final String NS_A = "m4jb-a-" + PID;
  private static final String NS_B = "m4jb-b-" + PID;
  private static final String NS_C = "m4jb-c-" + PID;
  private static final String NS_E = "m4jb-e-" + PID;
  private static final int PORT = 5001;
  private static final int CHUNK = 64 * 1024;

  private TapThroughputFigures() {}

  /**
   * The probability (0 to 1) that a TCP frame crossing the JVM is dropped, into or out of the direct
   * stack and through the copy loop of "kernel over TAP": {@code -Dmirage4j.bench.loss=PERCENT}.
   */
  static final double LOSS = Double.parseDouble(System.getProperty("mirage4j.bench.loss", "0")) / 100;

  /** Whether to drop this frame (IPv4 TCP only, so that ARP and ping are not disturbed). */
  static boolean dropped(ByteBuffer frame) {
    if (LOSS <= 0 || frame.remaining() < 34) {
      return false;
    }
    int p = frame.position();
    boolean tcp = frame.get(p + 12) == 0x08 && frame.get(p + 13) == 0x00 && frame.get(p + 23) == 6;
    return tcp && java.util.concurrent.ThreadLocalRandom.current().nextDouble() < LOSS;
  }

  /** A network that drops TCP frames both ways with probability {@link #LOSS}. */
  static final class Lossy implements org.mirage4j.api.Network {
    private final org.mirage4j.api.Network inner;

    Lossy(org.mirage4j.api.Network inner) {
      this.inner = inner;
    }

    @Override
    public org.mirage4j.api.MacAddress mac() {
      return inner.mac();
    }

    @Override
    public int mtu() {
      return inner.mtu();
    }

    @Override
    public void send(ByteBuffer frame) throws IOException {
      if (dropped(frame)) {
        frame.position(frame.limit());
        return;
      }
      inner.send(frame);
    }

    @Override
    public int receive(ByteBuffer into) throws IOException {
      while (true) {
        int start = into.position();
        int n = inner.receive(into);
        if (n <= 0) {
          return n;
        }
        ByteBuffer view = into.duplicate();
        view.position(start).limit(start + n);
        if (!dropped(view)) {
          return n;
        }
        into.position(start);
      }
    }

    @Override
    public void connect() throws IOException {
      inner.connect();
    }

    @Override
    public void stop() throws IOException {
      inner.stop();
    }

    @Override
    public void close() throws IOException {
      inner.close();
    }
  }

  public static void main(String[] args) throws Exception {
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 200;
    int pings = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    String why = unavailableReason();
    if (why != null) {
      System.err.println("TapThroughputFigures needs root: it creates network namespaces, TAP and veth"
          + " devices (CAP_NET_ADMIN) and sends raw ICMP (CAP_NET_RAW). Not run: " + why);
      System.exit(2);
    }
    Thread cleanup = new Thread(TapThroughputFigures::removeNamespaces, "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    List<AutoCloseable> open = new ArrayList<>();
    try {
      run(mib * 1024 * 1024, pings, open);
    } finally {
      for (int i = open.size() - 1; i >= 0; i--) {
        try {
          open.get(i).close();
        } catch (Exception e) {
          // closing anyway
        }
      }
      removeNamespaces();
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
    System.exit(0);
  }

  private static void run(long bytes, int pings, List<AutoCloseable> open) throws Exception {
    if (LOSS > 0) {
      System.out.printf("TCP frames dropped with probability %.3f%n", LOSS);
    }
    System.out.printf("bulk TCP transfer of %d MiB (after a %d MiB warm-up), %d pings each; %d CPUs, %s%n",
        bytes >> 20, Math.max(1, (bytes >> 20) / 10), pings, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));

    // ---- direct stack on a TAP device
    must("ip", "netns", "add", NS_D);
    must("ip", "-n", NS_D, "link", "set", "lo", "up");
    TapNetwork tap = new TapNetwork("m4jbd0");
    inside(NS_D, () -> {
      tap.connect();
      return null;
    });
    open.add(tap);
    must("ip", "-n", NS_D, "addr", "add", "10.79.0.1/24", "dev", "m4jbd0");
    must("ip", "-n", NS_D, "link", "set", "m4jbd0", "up");
    MonotonicClock clock = System::nanoTime;
    SecureRandom sr = new SecureRandom();
    RandomSource random = sr::nextBytes;
    EthernetLayer eth = new EthernetLayer(LOSS > 0 ? new Lossy(tap) : tap);
    ArpLayer arp = new ArpLayer(eth, clock);
    StaticIpv4 ip = new StaticIpv4(eth, arp, Ipv4Prefix.parse("10.79.0.2/24"), List.of(Ipv4Address.parse("10.79.0.1")));
    IcmpLayer icmp = new IcmpLayer(ip);
    UdpLayer udp = new UdpLayer(ip, random);
    TcpLayer tcp = new TcpLayer(ip, clock, random);
    DirectStack stack = new DirectStack(ip, icmp, udp, tcp);
    eth.connect();
    arp.connect();
    ip.connect();
    icmp.connect();
    udp.connect();
    tcp.connect();
    stack.connect();
    open.addAll(List.of(eth, arp, ip, icmp, udp, tcp, stack));

    // ---- kernel to kernel over two TAP devices joined by this JVM
    must("ip", "netns", "add", NS_A);
    must("ip", "netns", "add", NS_B);
    TapNetwork tapA = new TapNetwork("m4jba0");
    TapNetwork tapB = new TapNetwork("m4jbb0");
    inside(NS_A, () -> {
      tapA.connect();
      return null;
    });
    inside(NS_B, () -> {
      tapB.connect();
      return null;
    });
    open.add(tapA);
    open.add(tapB);
    for (String[] s : new String[][] {{NS_A, "m4jba0", "10.80.0.1/24"}, {NS_B, "m4jbb0", "10.80.0.2/24"}}) {
      must("ip", "-n", s[0], "link", "set", "lo", "up");
      must("ip", "-n", s[0], "addr", "add", s[2], "dev", s[1]);
      must("ip", "-n", s[0], "link", "set", s[1], "up");
    }
    wire(tapA, tapB);
    wire(tapB, tapA);

    // ---- kernel to kernel over a veth pair
    must("ip", "netns", "add", NS_C);
    must("ip", "netns", "add", NS_E);
    must("ip", "-n", NS_C, "link", "add", "m4jbc0", "type", "veth", "peer", "name", "m4jbe0", "netns", NS_E);
    for (String[] s : new String[][] {{NS_C, "m4jbc0", "10.81.0.1/24"}, {NS_E, "m4jbe0", "10.81.0.2/24"}}) {
      must("ip", "-n", s[0], "link", "set", "lo", "up");
      must("ip", "-n", s[0], "addr", "add", s[2], "dev", s[1]);
      must("ip", "-n", s[0], "link", "set", s[1], "up");
    }
    Thread.sleep(1500); // links up, duplicate address detection of IPv6 irrelevant

    // ---- ping RTT: the kernel pings the other end with a raw ICMP socket in its namespace
    RttStats pingDirect = inside(NS_D, () -> rawPing("10.79.0.2", pings));
    RttStats pingTap = inside(NS_A, () -> rawPing("10.80.0.2", pings));
    RttStats pingVeth = inside(NS_C, () -> rawPing("10.81.0.2", pings));
    List<Long> stackPings = new ArrayList<>();
    for (int i = 0; i < Math.max(10, pings); i++) {
      Optional<Duration> d = icmp.ping(Ipv4Address.parse("10.79.0.1"), Duration.ofSeconds(1));
      d.ifPresent(x -> stackPings.add(x.toNanos()));
    }
    RttStats pingFromStack = RttStats.of(stackPings, Math.max(10, pings));

    // ---- throughput
    long warm = Math.max(1 << 20, bytes / 10);
    TcpListener listener = stack.tcp().listen(PORT, 4);
    open.add(listener);
    double dSend = limited(() -> directToKernel(listener, warm), () -> directToKernel(listener, bytes));
    double dRecv = limited(() -> kernelToDirect(listener, warm), () -> kernelToDirect(listener, bytes));
    double kTap = limited(() -> kernelToKernel(NS_A, NS_B, "10.80.0.1", warm),
        () -> kernelToKernel(NS_A, NS_B, "10.80.0.1", bytes));
    double kVeth = limited(() -> kernelToKernel(NS_C, NS_E, "10.81.0.1", warm),
        () -> kernelToKernel(NS_C, NS_E, "10.81.0.1", bytes));

    System.out.println();
    System.out.printf("%-52s %10s%n", "bulk TCP transfer", "MiB/s");
    printRate("direct stack -> kernel, over TAP", dSend);
    printRate("kernel -> direct stack, over TAP", dRecv);
    printRate("kernel -> kernel, over TAP (2 TAPs joined in the JVM)", kTap);
    printRate("kernel -> kernel, over veth", kVeth);
    System.out.printf("ratio direct/kernel over TAP: sending %.2f, receiving %.2f%n", dSend / kTap, dRecv / kTap);
    System.out.printf("ratio direct/kernel over veth: sending %.2f, receiving %.2f%n", dSend / kVeth, dRecv / kVeth);
    System.out.println();
    System.out.printf("%-52s %8s %8s %8s %6s%n", "ping RTT (µs)", "min", "median", "p99", "lost");
    pingDirect.print("kernel pings direct stack, over TAP");
    pingFromStack.print("direct stack pings kernel (Icmp.ping), over TAP");
    pingTap.print("kernel pings kernel, over TAP (2 TAPs joined)");
    pingVeth.print("kernel pings kernel, over veth");
    System.out.printf("ratio direct/kernel over TAP (median RTT): %.2f%n",
        pingDirect.median() / (double) pingTap.median());
    System.out.printf("direct stack: %d retransmissions, %d timeouts, %d fast retransmits during the run%n",
        tcp.retransmitCount(), tcp.timeoutCount(), tcp.fastRetransmitCount());
  }

  // ------------------------------------------------------------------ transfers

  /**
   * How long one transfer may take (each waits for its parts this long). At high loss a transfer
   * can take longer than that (the retransmission timer backs off); it is then reported as not
   * finished, its connections are closed, and the other paths are still measured.
   */
  static final int TRANSFER_SECONDS = 120;

  /** The sockets and flows of the transfer under way, closed when it does not finish in time. */
  private static final List<AutoCloseable> IN_FLIGHT = new ArrayList<>();

  private static <T extends AutoCloseable> T inFlight(T c) {
    synchronized (IN_FLIGHT) {
      IN_FLIGHT.add(c);
    }
    return c;
  }

  /**
   * A warm-up transfer, then the measured one: its rate in MiB/s, or NaN when either did not finish
   * in time or failed (said on standard error), after closing what they had open.
   */
  private static double limited(Callable<Double> warmUp, Callable<Double> measured) {
    try {
      warmUp.call();
      return measured.call();
    } catch (Exception e) {
      System.err.println("transfer did not finish: " + e);
      return Double.NaN;
    } finally {
      synchronized (IN_FLIGHT) {
        for (AutoCloseable c : IN_FLIGHT) {
          try {
            c.close();
          } catch (Exception e) {
            // closing anyway
          }
        }
        IN_FLIGHT.clear();
      }
    }
  }

  /** One line of the throughput table; bench/report reads these lines. */
  private static void printRate(String path, double rate) {
    if (Double.isNaN(rate)) {
      System.out.printf("%-52s did not finish in %d s%n", path, TRANSFER_SECONDS);
    } else {
      System.out.printf("%-52s %10.1f%n", path, rate);
    }
  }

  /** The direct stack sends {@code bytes}; a kernel socket in NS_D receives. MiB/s seen by the receiver. */
  private static double directToKernel(TcpListener listener, long bytes) throws Exception {
    CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
      try (Flow f = inFlight(listener.accept())) {
        ByteBuffer b = ByteBuffer.allocate(CHUNK);
        long left = bytes;
        while (left > 0) {
          b.clear().limit((int) Math.min(CHUNK, left));
          left -= b.remaining();
          f.write(b);
        }
        f.shutdownOutput();
        b.clear();
        while (f.read(b) >= 0) {
          b.clear();
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    double rate = inside(NS_D, () -> {
      try (Socket s = inFlight(new Socket())) {
        s.setReceiveBufferSize(4 << 20);
        long t0 = System.nanoTime();
        s.connect(new InetSocketAddress("10.79.0.2", PORT), 5000);
        long got = drain(s.getInputStream());
        long ns = System.nanoTime() - t0;
        check(got, bytes);
        return mibPerSecond(bytes, ns);
      }
    });
    sent.get(TRANSFER_SECONDS, TimeUnit.SECONDS);
    return rate;
  }

  /** A kernel socket in NS_D sends {@code bytes}; the direct stack receives. */
  private static double kernelToDirect(TcpListener listener, long bytes) throws Exception {
    CompletableFuture<Double> received = CompletableFuture.supplyAsync(() -> {
      try (Flow f = inFlight(listener.accept())) {
        long t0 = System.nanoTime();
        ByteBuffer b = ByteBuffer.allocate(CHUNK);
        long got = 0;
        int n;
        while ((n = f.read(b)) >= 0) {
          got += n;
          b.clear();
        }
        long ns = System.nanoTime() - t0;
        check(got, bytes);
        return mibPerSecond(bytes, ns);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    inside(NS_D, () -> {
      try (Socket s = inFlight(new Socket())) {
        s.setSendBufferSize(4 << 20);
        s.connect(new InetSocketAddress("10.79.0.2", PORT), 5000);
        fill(s.getOutputStream(), bytes);
        s.shutdownOutput();
        drain(s.getInputStream());
      }
      return null;
    });
    return received.get(TRANSFER_SECONDS, TimeUnit.SECONDS);
  }

  /** A kernel socket in {@code serverNs} sends {@code bytes} to one in {@code clientNs}. */
  private static double kernelToKernel(String clientNs, String serverNs, String clientIp, long bytes)
      throws Exception {
    String serverIp = clientIp.substring(0, clientIp.lastIndexOf('.')) + ".2";
    CompletableFuture<ServerSocket> bound = new CompletableFuture<>();
    CompletableFuture<Void> served = new CompletableFuture<>();
    Thread server = new Thread(() -> {
      try {
        enter(serverNs);
        try (ServerSocket ss = inFlight(new ServerSocket())) {
          ss.setReuseAddress(true);
          ss.bind(new InetSocketAddress(serverIp, PORT));
          bound.complete(ss);
          try (Socket s = inFlight(ss.accept())) {
            s.setSendBufferSize(4 << 20);
            fill(s.getOutputStream(), bytes);
            s.shutdownOutput();
            drain(s.getInputStream());
          }
        }
        served.complete(null);
      } catch (Throwable e) {
        bound.completeExceptionally(e);
        served.completeExceptionally(e);
      }
    }, "kernel-server");
    server.setDaemon(true);
    server.start();
    bound.get(10, TimeUnit.SECONDS);
    double rate = inside(clientNs, () -> {
      try (Socket s = inFlight(new Socket())) {
        s.setReceiveBufferSize(4 << 20);
        long t0 = System.nanoTime();
        s.connect(new InetSocketAddress(serverIp, PORT), 5000);
        long got = drain(s.getInputStream());
        long ns = System.nanoTime() - t0;
        check(got, bytes);
        return mibPerSecond(bytes, ns);
      }
    });
    served.get(TRANSFER_SECONDS, TimeUnit.SECONDS);
    return rate;
  }

  private static void fill(OutputStream out, long bytes) throws IOException {
    byte[] b = new byte[CHUNK];
    long left = bytes;
    while (left > 0) {
      int n = (int) Math.min(CHUNK, left);
      out.write(b, 0, n);
      left -= n;
    }
    out.flush();
  }

  private static long drain(InputStream in) throws IOException {
    byte[] b = new byte[CHUNK];
    long got = 0;
    int n;
    while ((n = in.read(b)) >= 0) {
      got += n;
    }
    return got;
  }

  private static void check(long got, long expected) throws IOException {
    if (got != expected) {
      throw new IOException("received " + got + " bytes, expected " + expected);
    }
  }

  private static double mibPerSecond(long bytes, long nanos) {
    return bytes / (1024.0 * 1024.0) / (nanos / 1e9);
  }

  /** Copies every frame from one TAP device to the other, as a cable would. */
  private static void wire(TapNetwork from, TapNetwork to) {
    Thread t = new Thread(() -> {
      ByteBuffer b = ByteBuffer.allocateDirect(65536);
      try {
        while (true) {
          b.clear();
          if (from.receive(b) < 0) {
            return;
          }
          b.flip();
          if (dropped(b)) {
            continue;
          }
          to.send(b);
        }
      } catch (IOException e) {
        // closed
      }
    }, "wire-" + from.interfaceName() + "-" + to.interfaceName());
    t.setDaemon(true);
    t.start();
  }

  // ------------------------------------------------------------------ ping

  record RttStats(long min, long median, long p99, int lost) {
    static RttStats of(List<Long> nanos, int sent) {
      long[] s = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      if (s.length == 0) {
        return new RttStats(-1, -1, -1, sent);
      }
      return new RttStats(s[0], s[s.length / 2], s[Math.min(s.length - 1, (int) Math.ceil(s.length * 0.99) - 1)],
          sent - s.length);
    }

    void print(String what) {
      System.out.printf("%-52s %8.1f %8.1f %8.1f %6d%n", what, min / 1e3, median / 1e3, p99 / 1e3, lost);
    }
  }

  /**
   * ICMP echo through the calling thread's namespace's kernel stack (a raw socket, so {@code ping} need
   * not be installed); 10 unmeasured echoes first. Times from just before sendto to the reply's arrival.
   */
  private static RttStats rawPing(String address, int count) throws IOException {
    NetLibC c = NetLibC.INSTANCE;
    int fd = c.socket(NetLibC.AF_INET, NetLibC.SOCK_RAW, NetLibC.IPPROTO_ICMP);
    if (fd < 0) {
      throw new IOException("raw ICMP socket: " + c.strerror(Native.getLastError()));
    }
    try {
      byte[] sa = new byte[16];
      ByteBuffer.wrap(sa).order(ByteOrder.nativeOrder()).putShort(0, (short) NetLibC.AF_INET);
      System.arraycopy(InetAddress.getByName(address).getAddress(), 0, sa, 4, 4);
      int id = (int) (PID & 0xffff);
      List<Long> rtts = new ArrayList<>();
      byte[] reply = new byte[2048];
      byte[] pfd = new byte[8];
      for (int seq = 0; seq < count + 10; seq++) {
        byte[] p = new byte[8 + 56];
        ByteBuffer bb = ByteBuffer.wrap(p);
        bb.put(0, (byte) 8).putShort(4, (short) id).putShort(6, (short) seq);
        Arrays.fill(p, 8, p.length, (byte) 'm');
        bb.putShort(2, (short) checksum(p));
        long t0 = System.nanoTime();
        if (c.sendto(fd, p, new NativeLong(p.length), 0, sa, sa.length).longValue() < 0) {
          throw new IOException("sendto: " + c.strerror(Native.getLastError()));
        }
        long deadline = t0 + 1_000_000_000L;
        while (true) {
          long left = (deadline - System.nanoTime()) / 1_000_000;
          if (left <= 0) {
            break;
          }
          ByteBuffer.wrap(pfd).order(ByteOrder.nativeOrder()).putInt(0, fd).putShort(4, NetLibC.POLLIN)
              .putShort(6, (short) 0);
          if (c.poll(pfd, new NativeLong(1), (int) left) <= 0) {
            continue;
          }
          long n = c.recv(fd, reply, new NativeLong(reply.length), 0).longValue();
          long t1 = System.nanoTime();
          if (n < 28) {
            continue;
          }
          int ihl = (reply[0] & 15) * 4;
          ByteBuffer r = ByteBuffer.wrap(reply);
          if (reply[ihl] == 0 && (r.getShort(ihl + 4) & 0xffff) == id && (r.getShort(ihl + 6) & 0xffff) == seq) {
            if (seq >= 10) {
              rtts.add(t1 - t0);
            }
            break;
          }
        }
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
      return RttStats.of(rtts, count);
    } finally {
      c.close(fd);
    }
  }

  private static int checksum(byte[] b) {
    long sum = 0;
    for (int i = 0; i + 1 < b.length; i += 2) {
      sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    if ((b.length & 1) != 0) {
      sum += (b[b.length - 1] & 0xff) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  // ------------------------------------------------------------------ namespaces

  private static String unavailableReason() {
    try {
      String status = Files.readString(Path.of("/proc/self/status"));
      String uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElse("Uid: ?").split("\\s+")[2];
      if (!"0".equals(uid)) {
        return "effective uid is " + uid + ", not 0 (run it as root, e.g. with sudo)";
      }
    } catch (IOException e) {
      return "cannot read /proc/self/status: " + e.getMessage();
    }
    if (!Files.exists(Path.of("/dev/net/tun"))) {
      return "no /dev/net/tun";
    }
    try {
      if (exec(10, "ip", "-V").exit != 0) {
        return "the `ip` command (iproute2) fails";
      }
      String probe = "m4jb-probe-" + PID;
      Exec r = exec(10, "ip", "netns", "add", probe);
      if (r.exit != 0) {
        return "cannot create a network namespace (no CAP_NET_ADMIN?): " + r.err.trim();
      }
      exec(10, "ip", "netns", "del", probe);
    } catch (IOException e) {
      return "no `ip` command (iproute2): " + e.getMessage();
    }
    return null;
  }

  private static void removeNamespaces() {
    for (String ns : List.of(NS_D, NS_A, NS_B, NS_C, NS_E)) {
      try {
        if (Files.exists(Path.of("/var/run/netns", ns))) {
          exec(30, "ip", "netns", "del", ns);
        }
      } catch (IOException e) {
        System.err.println("could not remove namespace " + ns + ": " + e.getMessage());
      }
    }
  }

  private static void enter(String ns) throws IOException {
    int fd = NetLibC.INSTANCE.open("/var/run/netns/" + ns, 0);
    if (fd < 0 || NetLibC.INSTANCE.setns(fd, NetLibC.CLONE_NEWNET) != 0) {
      throw new IOException("cannot enter namespace " + ns);
    }
    NetLibC.INSTANCE.close(fd);
  }

  /** Runs {@code body} on a fresh thread that has entered namespace {@code ns} (sockets it makes are there). */
  private static <T> T inside(String ns, Callable<T> body) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        enter(ns);
        result.complete(body.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }, "in-" + ns);
    t.setDaemon(true); // one that did not finish in time must not keep the JVM from exiting
    t.start();
    try {
      return result.get(TRANSFER_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception x) {
        throw x;
      }
      throw e;
    }
  }

  private record Exec(int exit, String out, String err) {}

  private static Exec exec(int timeoutSeconds, String... cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Exec(-1, out.join(), "timed out: " + String.join(" ", cmd));
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return new Exec(p.exitValue(), out.join(), err.join());
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void must(String... cmd) throws IOException {
    Exec r = exec(30, cmd);
    if (r.exit != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + r.err.trim());
    }
  }
}
