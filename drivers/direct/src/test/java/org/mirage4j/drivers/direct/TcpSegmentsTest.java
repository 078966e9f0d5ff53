package org.mirage4j.drivers.direct;

import static com.google.common.truth.Truth.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.Flow;
import org.mirage4j.api.TcpListener;

/**
 * TCP against a scripted peer: the test writes segments byte by byte and reads what the stack
 * answers, in manual virtual time.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpSegmentsTest {

  static final long US = 0x020000000002L;
  static final long PEER = 0x020000000001L;
  static final int US_IP = 0x0a000002;
  static final int PEER_IP = 0x0a000001;
  static final int SYN = 2;
  static final int RST = 4;
  static final int ACK = 16;
  static final int FIN = 1;

  SimScheduler sim;
  CapturingNetwork net;
  Host host;
  final ExecutorService pool = Executors.newCachedThreadPool();

  /** What the stack sent, parsed. */
  record Out(int seq, int ack, int flags, int window, int mss, int wscale, byte[] data) {}

  @BeforeEach
  void setUp() throws Exception {
    sim = new SimScheduler();
    net = new CapturingNetwork(US);
    host = new Host(net, sim, "10.0.0.2/24", 1);
    // The peer introduces itself, so that answers need no ARP round.
    inject(Frames.ethernet(US, PEER, 0x0806, Frames.arp(1, PEER, PEER_IP, 0, US_IP)));
    net.drain();
  }

  @AfterEach
  void tearDown() throws Exception {
    pool.shutdownNow();
    host.close();
  }

  void inject(byte[] frame) {
    host.eth.input(ByteBuffer.wrap(frame));
  }

  void segment(int sport, int dport, int seq, int ack, int flags, int window, byte[] options, byte[] data) {
    inject(Frames.ethernet(US, PEER, 0x0800, Frames.ipv4(PEER_IP, US_IP, 6, 1, 0,
        Frames.tcp(PEER_IP, US_IP, sport, dport, seq, ack, flags, window, options, data))));
  }

  List<Out> sent() {
    List<Out> out = new ArrayList<>();
    for (byte[] f : net.drain()) {
      ByteBuffer b = ByteBuffer.wrap(f);
      if ((b.getShort(12) & 0xffff) != 0x0800 || f[23] != 6) {
        continue;
      }
      int t = 14 + (f[14] & 0xf) * 4;
      int off = ((f[t + 12] & 0xff) >>> 4) * 4;
      int mss = -1;
      int ws = -1;
      for (int i = t + 20; i < t + off; ) {
        int kind = f[i] & 0xff;
        if (kind == 0) {
          break;
        }
        if (kind == 1) {
          i++;
          continue;
        }
        if (kind == 2) {
          mss = b.getShort(i + 2) & 0xffff;
        }
        if (kind == 3) {
          ws = f[i + 2];
        }
        i += f[i + 1] & 0xff;
      }
      int total = b.getShort(16) & 0xffff;
      byte[] data = java.util.Arrays.copyOfRange(f, t + off, 14 + total);
      out.add(new Out(b.getInt(t + 4), b.getInt(t + 8), f[t + 13] & 0x3f, b.getShort(t + 14) & 0xffff,
          mss, ws, data));
    }
    return out;
  }

  /** Opens a connection to port 80 from peer port 4000 with the given ISN; returns our ISN. */
  int open(int peerIsn, byte[] synOptions) throws Exception {
    segment(4000, 80, peerIsn, 0, SYN, 65535, synOptions, new byte[0]);
    List<Out> synAck = sent();
    assertThat(synAck).hasSize(1);
    Out sa = synAck.get(0);
    assertThat(sa.flags()).isEqualTo(SYN | ACK);
    assertThat(sa.ack()).isEqualTo(peerIsn + 1);
    segment(4000, 80, peerIsn + 1, sa.seq() + 1, ACK, 65535, new byte[0], new byte[0]);
    assertThat(sent()).isEmpty();
    return sa.seq();
  }

  @Test
  void synAckCarriesMssAndWindowScaleOnlyWhenOffered() throws Exception {
    host.tcp.listen(80, 4);
    segment(4000, 80, 1000, 0, SYN, 65535, new byte[] {2, 4, 5, (byte) 0xb4, 1, 3, 3, 7}, new byte[0]);
    Out sa = sent().get(0);
    assertThat(sa.mss()).isEqualTo(1460);
    assertThat(sa.wscale()).isEqualTo(3);
    segment(4001, 80, 1000, 0, SYN, 65535, new byte[] {2, 4, 2, 0}, new byte[0]);
    Out plain = sent().get(0);
    assertThat(plain.mss()).isEqualTo(1460);
    assertThat(plain.wscale()).isEqualTo(-1);
  }

  @Test
  void peerWindowScaleLimitsWhatIsSent() throws Exception {
    TcpListener l = host.tcp.listen(80, 4);
    // The peer offers shift 2 and MSS 1000, then advertises 500 << 2 = 2000 bytes.
    segment(4000, 80, 5000, 0, SYN, 65535, new byte[] {2, 4, 3, (byte) 0xe8, 1, 3, 3, 2}, new byte[0]);
    Out sa = sent().get(0);
    segment(4000, 80, 5001, sa.seq() + 1, ACK, 500, new byte[0], new byte[0]);
    Flow f = pool.submit(l::accept).get();
    // Fits the send buffer, so write returns once what the window allows has been sent.
    f.write(ByteBuffer.wrap(new byte[10_000]));
    int bytes = 0;
    for (Out o : sent()) {
      assertThat(o.data().length).isAtMost(1000);
      bytes += o.data().length;
    }
    assertThat(bytes).isEqualTo(2000);
  }

  @Test
  void rstOnlyAtTheExactSequenceNumberChallengeAckOtherwise() throws Exception {
    host.tcp.listen(80, 4);
    int ours = open(7000, new byte[0]);
    assertThat(host.tcp.connectionCount()).isEqualTo(1);
    // In the window but not at RCV.NXT: a challenge ACK, the connection lives (RFC 5961 3.2).
    segment(4000, 80, 7001 + 100, 0, RST, 0, new byte[0], new byte[0]);
    List<Out> out = sent();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).flags()).isEqualTo(ACK);
    assertThat(out.get(0).ack()).isEqualTo(7001);
    assertThat(host.tcp.connectionCount()).isEqualTo(1);
    // Out of the window: ignored silently.
    segment(4000, 80, 7001 - 100_000, 0, RST, 0, new byte[0], new byte[0]);
    assertThat(sent()).isEmpty();
    // A SYN on the established connection: challenge ACK (RFC 5961 4.2).
    segment(4000, 80, 123, 0, SYN, 65535, new byte[0], new byte[0]);
    assertThat(sent().get(0).flags()).isEqualTo(ACK);
    assertThat(host.tcp.connectionCount()).isEqualTo(1);
    // Exactly at RCV.NXT: the connection is reset.
    segment(4000, 80, 7001, ours + 1, RST, 0, new byte[0], new byte[0]);
    assertThat(host.tcp.connectionCount()).isEqualTo(0);
  }

  @Test
  void closedPortAnswersWithRstPerRfc9293() {
    segment(4000, 81, 9000, 0, SYN, 65535, new byte[0], new byte[] {1, 2, 3});
    Out r = sent().get(0);
    assertThat(r.flags()).isEqualTo(RST | ACK);
    assertThat(r.seq()).isEqualTo(0);
    assertThat(r.ack()).isEqualTo(9000 + 1 + 3);
    segment(4000, 81, 9000, 4242, ACK, 65535, new byte[0], new byte[0]);
    Out r2 = sent().get(0);
    assertThat(r2.flags()).isEqualTo(RST);
    assertThat(r2.seq()).isEqualTo(4242);
    segment(4000, 81, 9000, 4242, RST, 65535, new byte[0], new byte[0]);
    assertThat(sent()).isEmpty(); // never a RST for a RST
  }

  @Test
  void dataAcrossThePeersWrapIsAcknowledgedModulo2To32() throws Exception {
    TcpListener l = host.tcp.listen(80, 4);
    int peerIsn = 0xFFFF_FFF0;
    int ours = open(peerIsn, new byte[0]);
    Flow f = pool.submit(l::accept).get();
    byte[] a = new byte[100];
    java.util.Arrays.fill(a, (byte) 'a');
    segment(4000, 80, peerIsn + 1, ours + 1, ACK | 8, 65535, new byte[0], a); // crosses 2^32
    sim.advance(TimeUnit.MILLISECONDS.toNanos(50)); // delayed ACK
    List<Out> out = sent();
    assertThat(out.get(out.size() - 1).ack()).isEqualTo(peerIsn + 1 + 100);
    assertThat(Integer.toUnsignedLong(peerIsn + 1 + 100)).isLessThan(1000L);
    ByteBuffer got = ByteBuffer.allocate(200);
    assertThat(f.read(got)).isEqualTo(100);
    // An old duplicate from before the wrap is re-acknowledged, not delivered again.
    segment(4000, 80, peerIsn + 1, ours + 1, ACK, 65535, new byte[0], a);
    out = sent();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).ack()).isEqualTo(peerIsn + 101);
    // FIN after the wrap.
    segment(4000, 80, peerIsn + 101, ours + 1, ACK | FIN, 65535, new byte[0], new byte[0]);
    assertThat(f.read(got)).isEqualTo(-1);
    assertThat(sent().get(0).ack()).isEqualTo(peerIsn + 102);
  }

  @Test
  void outOfOrderSegmentsAreHeldAndDeliveredWhenTheGapFills() throws Exception {
    TcpListener l = host.tcp.listen(80, 4);
    int ours = open(100, new byte[0]);
    Flow f = pool.submit(l::accept).get();
    segment(4000, 80, 101 + 10, ours + 1, ACK, 65535, new byte[0], "world".getBytes());
    Out dupAck = sent().get(0);
    assertThat(dupAck.ack()).isEqualTo(101); // immediate duplicate ACK for the gap
    segment(4000, 80, 101, ours + 1, ACK, 65535, new byte[0], "hello, the".getBytes());
    assertThat(sent().get(0).ack()).isEqualTo(101 + 15);
    ByteBuffer got = ByteBuffer.allocate(100);
    f.read(got);
    assertThat(new String(got.array(), 0, got.position())).isEqualTo("hello, theworld");
  }

  @Test
  void aNewSynEndsTimeWaitButAnOldOneIsAnsweredWithAnAck() throws Exception {
    TcpListener l = host.tcp.listen(80, 4);
    int ours = open(100, new byte[0]);
    Flow f = pool.submit(l::accept).get();
    f.close(); // active close: our FIN
    Out fin = sent().get(0);
    assertThat(fin.flags() & FIN).isEqualTo(FIN);
    segment(4000, 80, 101, ours + 2, ACK | FIN, 65535, new byte[0], new byte[0]);
    sent();
    assertThat(host.tcp.timeWaitCount()).isEqualTo(1);
    // A SYN below the old sequence space: re-ACK, stay in TIME_WAIT.
    segment(4000, 80, 50, 0, SYN, 65535, new byte[0], new byte[0]);
    List<Out> out = sent();
    assertThat(out.get(0).flags()).isEqualTo(ACK);
    assertThat(host.tcp.timeWaitCount()).isEqualTo(1);
    // A SYN above it: a new connection.
    segment(4000, 80, 100_000, 0, SYN, 65535, new byte[0], new byte[0]);
    Out sa = sent().get(0);
    assertThat(sa.flags()).isEqualTo(SYN | ACK);
    assertThat(sa.ack()).isEqualTo(100_001);
    assertThat(host.tcp.timeWaitCount()).isEqualTo(0);
    assertThat(host.tcp.halfOpenCount()).isEqualTo(1);
  }

  @Test
  void synAckIsRetransmittedThenTheHalfOpenConnectionIsDropped() throws Exception {
    host.tcp.listen(80, 4);
    segment(4000, 80, 1, 0, SYN, 65535, new byte[0], new byte[0]);
    assertThat(sent()).hasSize(1);
    int synAcks = 0;
    for (int i = 0; i < 60; i++) {
      sim.advance(TimeUnit.SECONDS.toNanos(1));
      synAcks += sent().size();
    }
    assertThat(synAcks).isEqualTo(TcpLayer.SYNACK_RETRIES);
    assertThat(host.tcp.halfOpenCount()).isEqualTo(0);
    assertThat(host.tcp.connectionCount()).isEqualTo(0);
  }
}
