package org.mirage4j.drivers.direct;

import java.io.IOException;

/**
 * Two hosts, A (10.0.0.1) and B (10.0.0.2), on one {@link TestSwitch}, in virtual time; dual ones
 * when given IPv6 addresses.
 */
final class Lan implements AutoCloseable {
  final SimScheduler sim = new SimScheduler();
  final TestSwitch sw;
  final Host a;
  final Host b;

  Lan(long seed) throws IOException {
    this(seed, null, null);
  }

  /** Dual hosts, with these IPv6 addresses as well ({@code ""}: link-local only). */
  Lan(long seed, String a6, String b6) throws IOException {
    sw = new TestSwitch(sim, seed);
    sim.start(sw::quiescent);
    a = new Host(sw.port(0x020000000001L), sim, "10.0.0.1/24", a6, true, seed * 31 + 1);
    b = new Host(sw.port(0x020000000002L), sim, "10.0.0.2/24", b6, true, seed * 31 + 2);
  }

  @Override
  public void close() throws IOException {
    a.close();
    b.close();
    sim.halt();
  }
}
