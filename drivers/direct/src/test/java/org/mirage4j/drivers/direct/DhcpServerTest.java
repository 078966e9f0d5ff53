package org.mirage4j.drivers.direct;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mirage4j.api.DhcpServer;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.MacAddress;
import org.mirage4j.drivers.direct.dhcp.DhcpMessage;

/** The DHCP server on one direct stack, our DHCP client on others, in virtual time. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DhcpServerTest {

  record Client(EthernetLayer eth, ArpLayer arp, DhcpIpv4 ip) implements AutoCloseable {
    @Override
    public void close() {
      ip.close();
      eth.close();
    }
  }

  static Client client(TestSwitch sw, SimScheduler sim, long mac) throws IOException {
    EthernetLayer eth = new EthernetLayer(sw.port(mac));
    ArpLayer arp = new ArpLayer(eth, sim);
    DhcpIpv4 ip = new DhcpIpv4(eth, arp, new SeededRandom(mac));
    IcmpLayer icmp = new IcmpLayer(ip);
    eth.connect();
    arp.connect();
    ip.connect(); // blocks until a lease is held
    icmp.connect();
    return new Client(eth, arp, ip);
  }

  @Test
  void clientsGetAddressesOfTheRangeWithTheOptions() throws Exception {
    SimScheduler sim = new SimScheduler();
    TestSwitch sw = new TestSwitch(sim, 7);
    sw.latencyNanos = 0; // frames cross while time stands still (below)
    sw.jitterNanos = 0;
    sim.start(sw::quiescent);
    List<String> events = new CopyOnWriteArrayList<>();
    try (Host srv = new Host(sw.port(0x0200000000feL), sim, "10.0.0.1/24", 5)) {
      DirectDhcpServer dhcp = new DirectDhcpServer(srv.ip, srv.udp, sim,
          Ipv4Address.parse("10.0.0.100"), Ipv4Address.parse("10.0.0.101"), Duration.ofSeconds(600),
          List.of(Ipv4Address.parse("10.0.0.1")), List.of(Ipv4Address.parse("10.0.0.53")));
      dhcp.connect();
      Thread serving = new Thread(() -> {
        try {
          dhcp.serve((e, l) -> events.add(e + " " + l.address() + " " + l.client()));
        } catch (IOException e) {
          // closed
        }
      });
      serving.setDaemon(true);
      serving.start();
      // The server answers on a thread of its own that the switch cannot see: while the clients
      // obtain their leases, time stands still, so that no retransmission timer races the server.
      sim.frozen = true;
      try (Client a = client(sw, sim, 0x020000000011L); Client b = client(sw, sim, 0x020000000022L)) {
        assertThat(a.ip().prefix()).isEqualTo(Ipv4Prefix.parse("10.0.0.100/24"));
        assertThat(b.ip().prefix()).isEqualTo(Ipv4Prefix.parse("10.0.0.101/24"));
        assertThat(a.ip().gateway()).hasValue(Ipv4Address.parse("10.0.0.1"));
        assertThat(dhcp.leases()).hasSize(2);
        DhcpServer.Lease first = dhcp.leases().get(0);
        assertThat(first.client()).isEqualTo(new MacAddress(0x020000000011L));
        assertThat(first.remaining()).isAtMost(Duration.ofSeconds(600));
        // the server reaches its clients at the addresses it gave
        Await.until("addresses announced", () -> !b.arp().addresses().isEmpty());
        assertThat(srv.icmp.ping(Ipv4Address.parse("10.0.0.101"), Duration.ofSeconds(3))).isPresent();
        assertThat(events).containsExactly("GRANTED 10.0.0.100 02:00:00:00:00:11",
            "GRANTED 10.0.0.101 02:00:00:00:00:22");
      }
      dhcp.close();
    } finally {
      sim.stop();
    }
  }

  @Test
  void anUnrenewedLeaseExpiresAndItsAddressGoesToTheNextClient() throws Exception {
    SimScheduler sim = new SimScheduler();
    CapturingNetwork net = new CapturingNetwork(0x0200000000feL);
    List<String> events = new CopyOnWriteArrayList<>();
    try (Host srv = new Host(net, sim, "10.0.0.1/24", 5)) {
      DirectDhcpServer dhcp = new DirectDhcpServer(srv.ip, srv.udp, sim,
          Ipv4Address.parse("10.0.0.100"), Ipv4Address.parse("10.0.0.100"), Duration.ofSeconds(60),
          List.of(), List.of());
      dhcp.connect();
      dhcp.listener((e, l) -> events.add(e + " " + l.address())); // requests go straight to handle()
      MacAddress one = new MacAddress(0x020000000011L);
      MacAddress two = new MacAddress(0x020000000022L);
      assertThat(exchange(dhcp, net, one, DhcpMessage.DISCOVER, null).type()).isEqualTo(DhcpMessage.OFFER);
      DhcpMessage ack = exchange(dhcp, net, one, DhcpMessage.REQUEST, Ipv4Address.parse("10.0.0.100"));
      assertThat(ack.type()).isEqualTo(DhcpMessage.ACK);
      assertThat(ack.yiaddr()).isEqualTo(Ipv4Address.parse("10.0.0.100"));
      assertThat(ack.address(DhcpMessage.OPT_SUBNET_MASK)).hasValue(Ipv4Address.parse("255.255.255.0"));
      assertThat(ByteBuffer.wrap(ack.options().get(DhcpMessage.OPT_LEASE_TIME)).getInt()).isEqualTo(60);
      assertThat(ByteBuffer.wrap(ack.options().get(DhcpMessage.OPT_RENEWAL_TIME)).getInt()).isEqualTo(30);
      assertThat(ByteBuffer.wrap(ack.options().get(DhcpMessage.OPT_REBINDING_TIME)).getInt()).isEqualTo(52);
      // renewing (ciaddr, no server identifier) extends the lease
      DhcpMessage renew = new DhcpMessage(DhcpMessage.BOOTREQUEST, 43, 0, 0,
          Ipv4Address.parse("10.0.0.100"), Ipv4Address.ANY, Ipv4Address.ANY, Ipv4Address.ANY, one,
          new DhcpMessage.Options().type(DhcpMessage.REQUEST).build());
      sim.advance(TimeUnit.SECONDS.toNanos(30));
      dhcp.handle(renew.encode(), new InetSocketAddress(68));
      assertThat(events).containsExactly("GRANTED 10.0.0.100", "RENEWED 10.0.0.100").inOrder();
      assertThat(dhcp.leases().get(0).remaining()).isEqualTo(Duration.ofSeconds(60));
      // the only address is taken: another client is offered nothing, and asking for it gets a NAK
      assertThat(exchangeOrNull(dhcp, net, two, DhcpMessage.DISCOVER, null)).isNull();
      assertThat(exchange(dhcp, net, two, DhcpMessage.REQUEST, Ipv4Address.parse("10.0.0.100")).type())
          .isEqualTo(DhcpMessage.NAK);
      sim.advance(TimeUnit.SECONDS.toNanos(61));
      assertThat(events)
          .containsExactly("GRANTED 10.0.0.100", "RENEWED 10.0.0.100", "EXPIRED 10.0.0.100").inOrder();
      assertThat(dhcp.bindingCount()).isEqualTo(0);
      assertThat(dhcp.leases()).isEmpty();
      assertThat(exchange(dhcp, net, two, DhcpMessage.DISCOVER, null).yiaddr())
          .isEqualTo(Ipv4Address.parse("10.0.0.100"));
      // the new holder gives it back
      assertThat(exchange(dhcp, net, two, DhcpMessage.REQUEST, Ipv4Address.parse("10.0.0.100")).type())
          .isEqualTo(DhcpMessage.ACK);
      DhcpMessage release = new DhcpMessage(DhcpMessage.BOOTREQUEST, 44, 0, 0,
          Ipv4Address.parse("10.0.0.100"), Ipv4Address.ANY, Ipv4Address.ANY, Ipv4Address.ANY, two,
          new DhcpMessage.Options().type(DhcpMessage.RELEASE)
              .address(DhcpMessage.OPT_SERVER_ID, Ipv4Address.parse("10.0.0.1")).build());
      dhcp.handle(release.encode(), new InetSocketAddress(68));
      assertThat(events.get(events.size() - 1)).isEqualTo("RELEASED 10.0.0.100");
      assertThat(dhcp.leases()).isEmpty();
      // malformed requests are ignored
      long ignored = dhcp.ignoredCount();
      dhcp.handle(ByteBuffer.wrap(new byte[300]), new InetSocketAddress(68));
      assertThat(dhcp.ignoredCount()).isEqualTo(ignored + 1);
      dhcp.close();
    }
  }

  @Test
  void aRangeOutsideTheServersNetworkIsRefusedOnConnect() throws Exception {
    SimScheduler sim = new SimScheduler();
    try (Host srv = new Host(new CapturingNetwork(0x0200000000feL), sim, "10.0.0.1/24", 5)) {
      DirectDhcpServer dhcp = new DirectDhcpServer(srv.ip, srv.udp, sim,
          Ipv4Address.parse("10.0.1.100"), Ipv4Address.parse("10.0.1.200"), Duration.ofHours(1),
          List.of(), List.of());
      IOException e = assertThrows(IOException.class, dhcp::connect);
      assertThat(e).hasMessageThat().contains("must lie in the server's network 10.0.0.0/24");
    }
  }

  /** Sends one request straight to the server's handler and returns its broadcast reply. */
  private static DhcpMessage exchange(DirectDhcpServer dhcp, CapturingNetwork net, MacAddress client,
      int type, Ipv4Address requested) {
    DhcpMessage r = exchangeOrNull(dhcp, net, client, type, requested);
    assertThat(r).isNotNull();
    return r;
  }

  private static DhcpMessage exchangeOrNull(DirectDhcpServer dhcp, CapturingNetwork net,
      MacAddress client, int type, Ipv4Address requested) {
    DhcpMessage.Options o = new DhcpMessage.Options().type(type);
    if (requested != null) {
      o.address(DhcpMessage.OPT_REQUESTED_ADDRESS, requested)
          .address(DhcpMessage.OPT_SERVER_ID, Ipv4Address.parse("10.0.0.1"));
    }
    Map<Integer, byte[]> options = o.build();
    DhcpMessage m = new DhcpMessage(DhcpMessage.BOOTREQUEST, 42, 0, DhcpMessage.BROADCAST_FLAG,
        Ipv4Address.ANY, Ipv4Address.ANY, Ipv4Address.ANY, Ipv4Address.ANY, client, options);
    net.drain();
    dhcp.handle(m.encode(), new InetSocketAddress(68));
    for (byte[] f : net.drain()) {
      ByteBuffer b = ByteBuffer.wrap(f);
      if ((b.getShort(12) & 0xffff) == 0x0800 && f[23] == 17 && (b.getShort(36) & 0xffff) == 68) {
        assertThat(b.getInt(30)).isEqualTo(-1); // to 255.255.255.255
        return DhcpMessage.parse(ByteBuffer.wrap(f, 42, f.length - 42).slice()).orElseThrow();
      }
    }
    return null;
  }
}
