package org.mirage4j.drivers.direct;

import static com.google.common.truth.Truth.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.UdpSocket;

/** The DHCP client against a minimal DHCP server running on another direct stack. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DhcpTest {

  /** Answers DISCOVER with OFFER and REQUEST with ACK (or NAK for the first {@code naks}). */
  static Thread server(UdpSocket sock, int leaseSeconds, AtomicInteger requests, int naks) {
    Thread t = new Thread(() -> {
      ByteBuffer in = ByteBuffer.allocate(1500);
      while (true) {
        in.clear();
        try {
          sock.receive(in);
        } catch (Exception e) {
          return;
        }
        int xid = in.getInt(4);
        byte[] chaddr = new byte[6];
        in.get(28, chaddr);
        int type = 0;
        for (int i = 240; i < in.position() - 2; ) {
          int code = in.get(i) & 0xff;
          if (code == 255) {
            break;
          }
          if (code == 0) {
            i++;
            continue;
          }
          if (code == 53) {
            type = in.get(i + 2);
          }
          i += 2 + (in.get(i + 1) & 0xff);
        }
        int reply;
        if (type == 1) {
          reply = 2;
        } else if (type == 3) {
          reply = requests.incrementAndGet() <= naks ? 6 : 5;
        } else {
          continue;
        }
        ByteBuffer m = ByteBuffer.allocate(300);
        m.put((byte) 2).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid).putInt(0);
        m.putInt(in.getInt(12)).putInt(reply == 6 ? 0 : 0x0a000032).putInt(0x0a0000fe).putInt(0);
        m.put(chaddr);
        m.position(236);
        m.putInt(0x63825363);
        m.put((byte) 53).put((byte) 1).put((byte) reply);
        m.put((byte) 54).put((byte) 4).putInt(0x0a0000fe);
        m.put((byte) 1).put((byte) 4).putInt(0xffffff00);
        m.put((byte) 3).put((byte) 4).putInt(0x0a0000fe);
        m.put((byte) 51).put((byte) 4).putInt(leaseSeconds);
        m.put((byte) 255);
        m.flip();
        int ciaddr = in.getInt(12);
        try {
          InetSocketAddress to = ciaddr != 0
              ? new InetSocketAddress(new Ipv4Address(ciaddr).toInetAddress(), 68)
              : new InetSocketAddress(Ipv4Address.BROADCAST.toInetAddress(), 68);
          sock.send(to, m);
        } catch (Exception e) {
          return;
        }
      }
    }, "fake-dhcp-server");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void obtainsALeaseRenewsItAndIsReachable() throws Exception {
    SimScheduler sim = new SimScheduler();
    TestSwitch sw = new TestSwitch(sim, 3);
    sim.start(sw::quiescent);
    try (Host srv = new Host(sw.port(0x0200000000feL), sim, "10.0.0.254/24", 5)) {
      UdpSocket sock = srv.udp.bind(67);
      AtomicInteger requests = new AtomicInteger();
      server(sock, 600, requests, 1); // the first REQUEST is refused: the client starts over
      TestSwitch.Port port = sw.port(0x020000000033L);
      EthernetLayer eth = new EthernetLayer(port);
      ArpLayer arp = new ArpLayer(eth, sim);
      DhcpIpv4 ip = new DhcpIpv4(eth, arp, new SeededRandom(9));
      IcmpLayer icmp = new IcmpLayer(ip);
      eth.connect();
      arp.connect();
      ip.connect();
      icmp.connect();
      assertThat(ip.prefix()).isEqualTo(Ipv4Prefix.parse("10.0.0.50/24"));
      assertThat(ip.gateway()).hasValue(Ipv4Address.parse("10.0.0.254"));
      // ARP takes the address in a task the lease schedules (it announces it), after connect returns
      Await.until("address given to ARP", () -> !arp.addresses().isEmpty());
      assertThat(arp.addresses()).containsExactly(Ipv4Address.parse("10.0.0.50"));
      // NAK, then ACK (virtual time keeps running, so renewals may already have followed)
      assertThat(requests.get()).isAtLeast(2);
      assertThat(srv.icmp.ping(Ipv4Address.parse("10.0.0.50"), Duration.ofSeconds(3))).isPresent();
      // At T1 (300 s of virtual time) the lease is renewed by unicast.
      Await.until("lease renewed", () -> ip.leaseCount() >= 2);
      assertThat(ip.state()).isAnyOf(DhcpIpv4.State.BOUND, DhcpIpv4.State.RENEWING);
      assertThat(ip.prefix()).isEqualTo(Ipv4Prefix.parse("10.0.0.50/24"));
      assertThat(sim.nanoTime()).isAtLeast(TimeUnit.SECONDS.toNanos(300));
      ip.close();
      sock.close();
      eth.close();
    } finally {
      sim.halt();
    }
  }
}
