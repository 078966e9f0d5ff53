package org.mirage4j.drivers.direct;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.mirage4j.api.Icmp;
import org.mirage4j.api.Ipv4;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.drivers.direct.ip.Echoes;
import org.mirage4j.drivers.direct.time.RealTimeScheduler;
import org.mirage4j.drivers.direct.time.Scheduler;
import org.mirage4j.drivers.direct.wire.Checksum;

/** ICMP (RFC 792): answers echo requests sent to this host, and pings. */
public final class IcmpLayer implements Icmp {

  private final Ipv4 ipv4;
  private final Scheduler scheduler;
  private final int identifier;
  private final Echoes echoes;

  /** ICMP over {@code ipv4}. */
  public IcmpLayer(Ipv4 ipv4) {
    this.ipv4 = ipv4;
    this.scheduler = ipv4 instanceof Ipv4Base b ? b.scheduler() : RealTimeScheduler.system();
    this.identifier = System.identityHashCode(this) & 0xffff;
    this.echoes = new Echoes(scheduler);
  }

  @Override
  public void connect() {
    ipv4.listen(Ipv4.ICMP, this::input);
  }

  @Override
  public Optional<Duration> ping(Ipv4Address destination, Duration timeout) throws IOException {
    return echoes.ping(destination.toString(), timeout, seq -> {
      ByteBuffer b = ByteBuffer.allocate(8 + 32);
      b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) identifier).putShort((short) seq);
      for (int i = 0; i < 32; i++) {
        b.put((byte) i);
      }
      b.putShort(2, (short) Checksum.finish(Checksum.add(0, b, 0, b.capacity())));
      b.flip();
      ipv4.send(destination, Ipv4.ICMP, b);
    });
  }

  private void input(Ipv4Address src, Ipv4Address dst, ByteBuffer p) {
    int n = p.remaining();
    if (n < 8 || Checksum.finish(Checksum.add(0, p, 0, n)) != 0) {
      return;
    }
    int type = p.get(0) & 0xff;
    int code = p.get(1) & 0xff;
    if (type == 8 && code == 0) {
      // Echo: answer only when addressed to us individually (RFC 1122 3.2.2.6 allows ignoring broadcast).
      if (!dst.equals(ipv4.prefix().address())) {
        return;
      }
      ByteBuffer r = ByteBuffer.allocate(n);
      r.put(p.duplicate());
      r.put(0, (byte) 0);
      r.putShort(2, (short) 0);
      r.putShort(2, (short) Checksum.finish(Checksum.add(0, r, 0, n)));
      r.flip();
      try {
        ipv4.send(src, Ipv4.ICMP, r);
      } catch (IOException e) {
        // best effort
      }
    } else if (type == 0 && code == 0) {
      int id = p.getShort(4) & 0xffff;
      int seq = p.getShort(6) & 0xffff;
      if (id == identifier) {
        echoes.replied(seq);
      }
    }
  }
}
