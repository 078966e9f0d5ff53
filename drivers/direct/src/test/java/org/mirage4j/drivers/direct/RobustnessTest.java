package org.mirage4j.drivers.direct;

import static com.google.common.truth.Truth.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.Flow;
import org.mirage4j.api.TcpListener;

/** Random and mutated frames, and a SYN flood, against one stack. */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class RobustnessTest {

  static final int FRAMES = 1_000_000;
  static final long OUR_MAC = 0x020000000002L;
  static final int OUR_IP = 0x0a000002;
  static final long PEER_MAC = 0x020000000009L;

  @Test
  void aMillionRandomAndMutatedFramesRaiseNothingAndStayBounded() throws Exception {
    SimScheduler sim = new SimScheduler();
    SinkNetwork net = new SinkNetwork(OUR_MAC);
    Host h = new Host(net, sim, "10.0.0.2/24", 99);
    TcpListener web = h.tcp.listen(80, 16);
    var udpSock = h.udp.bind(53);
    Random r = new Random(12345);
    int maxHalfOpen = 0;
    int maxConns = 0;
    int maxArp = 0;
    int maxReasm = 0;
    int maxReasmBytes = 0;
    for (int i = 0; i < FRAMES; i++) {
      byte[] f = frame(r);
      int mode = f.length == 0 ? 0 : r.nextInt(4);
      if (mode == 1 || mode == 2) {
        int flips = 1 + r.nextInt(4);
        for (int k = 0; k < flips; k++) {
          f[r.nextInt(f.length)] ^= (byte) (1 << r.nextInt(8));
        }
        if (mode == 2) {
          Frames.fixChecksums(f);
        }
      } else if (mode == 3) {
        int cut = r.nextInt(f.length + 1);
        byte[] g = new byte[r.nextBoolean() ? cut : f.length + r.nextInt(64)];
        System.arraycopy(f, 0, g, 0, Math.min(f.length, g.length));
        for (int k = f.length; k < g.length; k++) {
          g[k] = (byte) r.nextInt();
        }
        if (r.nextInt(8) == 0) {
          r.nextBytes(g); // pure noise
        }
        f = g;
      }
      h.eth.input(ByteBuffer.wrap(f)); // must not throw
      if (i % 5000 == 4999) {
        sim.advance(TimeUnit.MILLISECONDS.toNanos(500));
        maxHalfOpen = Math.max(maxHalfOpen, h.tcp.halfOpenCount());
        maxConns = Math.max(maxConns, h.tcp.connectionCount());
        maxArp = Math.max(maxArp, h.arp.cacheSize() + h.arp.pendingCount());
        maxReasm = Math.max(maxReasm, h.ip.reassemblyCount());
        maxReasmBytes = Math.max(maxReasmBytes, h.ip.reassemblyBytes());
      }
    }
    System.out.printf("fuzz: %d frames, max half-open %d, max conns %d, max arp %d, max reassembly %d (%d bytes),"
            + " frames sent %d, dropped by ethernet %d, bad TCP %d, sim tasks %d%n",
        FRAMES, maxHalfOpen, maxConns, maxArp, maxReasm, maxReasmBytes, net.sent.get(),
        h.eth.droppedFrames(), h.tcp.badSegmentCount(), sim.pendingTasks());
    assertThat(maxHalfOpen).isAtMost(TcpLayer.MAX_HALF_OPEN_PER_LISTENER);
    assertThat(maxHalfOpen).isGreaterThan(0); // the fuzzer did reach the listener
    assertThat(maxConns).isAtMost(TcpLayer.MAX_HALF_OPEN_PER_LISTENER + TcpLayer.MAX_TIME_WAIT + 64);
    assertThat(maxArp).isAtMost(ArpLayer.MAX_ENTRIES + ArpLayer.MAX_PENDING);
    assertThat(maxArp).isGreaterThan(0);
    assertThat(maxReasm).isAtMost(Ipv4Base.MAX_REASSEMBLIES);
    assertThat(maxReasm).isGreaterThan(0);
    assertThat(maxReasmBytes).isAtMost(Ipv4Base.MAX_REASSEMBLY_BYTES);
    assertThat(sim.failures.get()).isEqualTo(0L);
    assertThat(h.eth.listenerFailures()).isEqualTo(0L);
    // Left alone for ten virtual minutes, every transient state drains away.
    for (int k = 0; k < 600; k++) {
      sim.advance(TimeUnit.SECONDS.toNanos(1));
    }
    assertThat(h.tcp.halfOpenCount()).isEqualTo(0);
    assertThat(h.tcp.connectionCount()).isEqualTo(0);
    assertThat(h.ip.reassemblyCount()).isEqualTo(0);
    assertThat(h.ip.reassemblyBytes()).isEqualTo(0);
    assertThat(h.arp.pendingCount()).isEqualTo(0);
    assertThat(sim.pendingTasks()).isEqualTo(0);
    web.close();
    udpSock.close();
    h.close();
  }

  private static byte[] frame(Random r) {
    int peer = 0x0a000000 | (1 + r.nextInt(250));
    if (peer == OUR_IP) {
      peer++;
    }
    long peerMac = PEER_MAC + r.nextInt(4);
    long dstMac = r.nextInt(10) == 0 ? 0xffff_ffff_ffffL : OUR_MAC;
    switch (r.nextInt(9)) {
      case 0:
        return Frames.ethernet(dstMac, peerMac, 0x0806,
            Frames.arp(1 + r.nextInt(2), peerMac, peer, 0, r.nextBoolean() ? OUR_IP : r.nextInt()));
      case 1: {
        byte[] data = new byte[r.nextInt(100)];
        r.nextBytes(data);
        return Frames.ethernet(dstMac, peerMac, 0x0800,
            Frames.ipv4(peer, OUR_IP, 1, r.nextInt(), 0, Frames.icmpEcho(r.nextInt(), r.nextInt(), data)));
      }
      case 2: {
        byte[] data = new byte[r.nextInt(200)];
        r.nextBytes(data);
        return Frames.ethernet(dstMac, peerMac, 0x0800,
            Frames.ipv4(peer, OUR_IP, 17, r.nextInt(), 0,
                Frames.udp(peer, OUR_IP, r.nextInt(65536), r.nextBoolean() ? 53 : r.nextInt(65536), data)));
      }
      case 3:
      case 4: {
        // SYN (with options) to the listener or elsewhere
        byte[] opts = {2, 4, 5, (byte) 0xb4, 1, 3, 3, (byte) r.nextInt(16)};
        return Frames.ethernet(dstMac, peerMac, 0x0800, Frames.ipv4(peer, OUR_IP, 6, r.nextInt(), 0,
            Frames.tcp(peer, OUR_IP, 1024 + r.nextInt(1000), r.nextInt(4) == 0 ? r.nextInt(65536) : 80,
                r.nextInt(), 0, 0x02, r.nextInt(65536), opts, new byte[0])));
      }
      case 5: {
        byte[] data = new byte[r.nextInt(300)];
        r.nextBytes(data);
        int flags = r.nextInt(64);
        return Frames.ethernet(dstMac, peerMac, 0x0800, Frames.ipv4(peer, OUR_IP, 6, r.nextInt(), 0,
            Frames.tcp(peer, OUR_IP, 1024 + r.nextInt(1000), 80, r.nextInt(), r.nextInt(), flags,
                r.nextInt(65536), new byte[0], data)));
      }
      case 6:
      case 7: {
        // A fragment of some datagram
        byte[] data = new byte[8 * (1 + r.nextInt(150))];
        int off = r.nextInt(8000) / 8;
        int field = (r.nextInt(3) > 0 ? 0x2000 : 0) | off;
        return Frames.ethernet(dstMac, peerMac, 0x0800,
            Frames.ipv4(peer, OUR_IP, 17, r.nextInt(64), field, data));
      }
      default: {
        byte[] junk = new byte[r.nextInt(1514)];
        r.nextBytes(junk);
        return junk;
      }
    }
  }

  @Test
  void mutatedSegmentsOnEstablishedConnectionsRaiseNothingAndStayBounded() throws Exception {
    SimScheduler sim = new SimScheduler();
    CapturingNetwork net = new CapturingNetwork(OUR_MAC);
    Host h = new Host(net, sim, "10.0.0.2/24", 7);
    TcpListener web = h.tcp.listen(80, 64);
    h.eth.input(ByteBuffer.wrap(Frames.ethernet(OUR_MAC, PEER_MAC, 0x0806,
        Frames.arp(1, PEER_MAC, 0x0a000001, 0, OUR_IP))));
    Random r = new Random(99);
    int conns = 32;
    int[] peerSeq = new int[conns];
    int[] ourSeq = new int[conns];
    List<Flow> flows = new java.util.ArrayList<>();
    for (int i = 0; i < conns; i++) {
      peerSeq[i] = r.nextInt();
      net.drain();
      segment(h, 2000 + i, peerSeq[i], 0, 0x02, new byte[] {2, 4, 5, (byte) 0xb4, 1, 3, 3, 5}, new byte[0]);
      byte[] synAck = net.drain().get(0);
      ourSeq[i] = ByteBuffer.wrap(synAck).getInt(14 + 20 + 4);
      peerSeq[i]++;
      segment(h, 2000 + i, peerSeq[i], ourSeq[i] + 1, 0x10, new byte[0], new byte[0]);
      flows.add(web.accept());
    }
    // Our side has data in flight too, so that ACK processing has something to chew on.
    for (Flow f : flows) {
      f.write(ByteBuffer.wrap(new byte[20_000]));
    }
    int maxOoo = 0;
    for (int n = 0; n < 300_000; n++) {
      int i = r.nextInt(conns);
      byte[] data = new byte[r.nextInt(1400)];
      r.nextBytes(data);
      int seq = peerSeq[i] + r.nextInt(600_000) - 100_000;
      int ack = ourSeq[i] + 1 + r.nextInt(40_000) - 10_000;
      int flags = 0x10 | (r.nextInt(8) == 0 ? r.nextInt(64) : 0);
      byte[] f = Frames.ethernet(OUR_MAC, PEER_MAC, 0x0800, Frames.ipv4(0x0a000001, OUR_IP, 6, n, 0,
          Frames.tcp(0x0a000001, OUR_IP, 2000 + i, 80, seq, ack, flags, r.nextInt(65536), new byte[0], data)));
      if (r.nextInt(4) == 0) {
        f[14 + 20 + r.nextInt(20)] ^= (byte) (1 << r.nextInt(8));
        Frames.fixChecksums(f);
      }
      h.eth.input(ByteBuffer.wrap(f)); // must not throw
      if (n % 1000 == 999) {
        net.drain();
        sim.advance(TimeUnit.MILLISECONDS.toNanos(100));
        maxOoo = Math.max(maxOoo, h.tcp.outOfOrderBytes());
      }
      // in-order data now and then, as a live peer would send
      if (r.nextInt(50) == 0) {
        byte[] ok = new byte[100];
        h.eth.input(ByteBuffer.wrap(Frames.ethernet(OUR_MAC, PEER_MAC, 0x0800, Frames.ipv4(0x0a000001,
            OUR_IP, 6, n, 0, Frames.tcp(0x0a000001, OUR_IP, 2000 + i, 80, peerSeq[i], ourSeq[i] + 1, 0x18,
                65535, new byte[0], ok)))));
        peerSeq[i] += 100;
      }
    }
    System.out.printf("established fuzz: 300000 segments on %d connections, max out-of-order bytes %d,"
        + " connections left %d%n", conns, maxOoo, h.tcp.connectionCount());
    assertThat(maxOoo).isAtMost(conns * TcpLayer.RCV_BUF);
    assertThat(maxOoo).isGreaterThan(0);
    assertThat(sim.failures.get()).isEqualTo(0L);
    for (int k = 0; k < 900; k++) {
      sim.advance(TimeUnit.SECONDS.toNanos(1));
      net.drain();
    }
    for (Flow f : flows) {
      f.close();
    }
    for (int k = 0; k < 900; k++) {
      sim.advance(TimeUnit.SECONDS.toNanos(1));
      net.drain();
    }
    // Peers that vanish: everything times out and is released.
    assertThat(h.tcp.connectionCount()).isEqualTo(0);
    assertThat(h.tcp.outOfOrderBytes()).isEqualTo(0);
    web.close();
    h.close();
  }

  private static void segment(Host h, int sport, int seq, int ack, int flags, byte[] options, byte[] data) {
    h.eth.input(ByteBuffer.wrap(Frames.ethernet(OUR_MAC, PEER_MAC, 0x0800, Frames.ipv4(0x0a000001, OUR_IP,
        6, 1, 0, Frames.tcp(0x0a000001, OUR_IP, sport, 80, seq, ack, flags, 65535, options, data)))));
  }

  @Test
  void synFloodKeepsHalfOpenBoundedAndServiceAvailable() throws Exception {
    ExecutorService pool = Executors.newCachedThreadPool();
    try (Lan lan = new Lan(77)) {
      TcpListener l = lan.b.tcp.listen(80, 8);
      Random r = new Random(5);
      int max = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < 200_000; i++) {
        int src = 0x0a000000 | (3 + r.nextInt(250));
        byte[] f = Frames.ethernet(0x020000000002L, 0x02000000aa00L + r.nextInt(256), 0x0800,
            Frames.ipv4(src, 0x0a000002, 6, i, 0,
                Frames.tcp(src, 0x0a000002, 1024 + r.nextInt(60000), 80, r.nextInt(), 0, 0x02, 65535,
                    new byte[0], new byte[0])));
        lan.b.eth.input(ByteBuffer.wrap(f));
        if (i % 1000 == 0) {
          max = Math.max(max, lan.b.tcp.halfOpenCount());
        }
      }
      max = Math.max(max, lan.b.tcp.halfOpenCount());
      System.out.printf("SYN flood: 200000 SYNs, max half-open %d, connections %d (%d ms)%n", max,
          lan.b.tcp.connectionCount(), (System.nanoTime() - t0) / 1_000_000);
      assertThat(max).isAtMost(Math.max(16, 2 * 8));
      assertThat(lan.b.tcp.connectionCount()).isAtMost(TcpLayer.MAX_HALF_OPEN_PER_LISTENER);
      // A real client still gets through.
      Future<Flow> accepted = pool.submit(l::accept);
      try (Flow c = lan.a.tcp.connect(new InetSocketAddress(lan.b.address.toInetAddress(), 80),
          Duration.ofSeconds(30))) {
        Flow s = accepted.get();
        c.write(ByteBuffer.wrap(new byte[] {42}));
        ByteBuffer one = ByteBuffer.allocate(1);
        assertThat(s.read(one)).isEqualTo(1);
        s.close();
      }
      Await.until("half-open drained", () -> lan.b.tcp.halfOpenCount() == 0);
    } finally {
      pool.shutdownNow();
    }
  }
}
