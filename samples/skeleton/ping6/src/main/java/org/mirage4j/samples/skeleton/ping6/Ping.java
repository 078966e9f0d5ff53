package org.mirage4j.samples.skeleton.ping6;

import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import org.mirage4j.api.Ethernet;
import org.mirage4j.api.Ipv6;
import org.mirage4j.api.Job;

/**
 * The original's {@code N.listen n (E.input ~arpv4 ~ipv4 ~ipv6:(I.input ~tcp ~udp ~default i) e)}:
 * ARP and IPv4 frames are logged as errors, TCP and UDP over IPv6 as warnings with their addresses,
 * any other IPv6 payload as an error with its protocol number. ICMPv6 (echo, neighbour discovery)
 * is the IPv6 layer's own, so the unikernel answers ping6. It listens until it is stopped.
 */
public final class Ping implements Job {

  private static final System.Logger LOG = System.getLogger("application");

  private final Ethernet eth;
  private final Ipv6 ip6;

  /** The wiring passes the Ethernet layer and the IPv6 layer on it, both on the NIC. */
  public Ping(Ethernet eth, Ipv6 ip6) {
    this.eth = eth;
    this.ip6 = ip6;
  }

  @Override
  public void start() throws InterruptedException {
    eth.listen(Ethernet.ARP, (src, dst, frame) -> LOG.log(Level.ERROR, "ARP4"));
    eth.listen(Ethernet.IPV4, (src, dst, frame) -> LOG.log(Level.ERROR, "IP4"));
    ip6.listen(Ipv6.TCP, handler("TCP"));
    ip6.listen(Ipv6.UDP, handler("UDP"));
    for (int proto = 0; proto < 256; proto++) {
      if (proto != Ipv6.TCP && proto != Ipv6.UDP && proto != Ipv6.ICMPV6) {
        int p = proto;
        ip6.listen(p, (src, dst, data) -> LOG.log(Level.ERROR, p + " DEFAULT"));
      }
    }
    // N.listen returns when the NIC is disconnected; here the devices close when the unikernel
    // is stopped (SIGTERM), so the job just waits for that
    new CountDownLatch(1).await();
  }

  private static Ipv6.Listener handler(String s) {
    return (src, dst, data) -> LOG.log(Level.WARNING, src + " > " + dst + " " + s);
  }
}
