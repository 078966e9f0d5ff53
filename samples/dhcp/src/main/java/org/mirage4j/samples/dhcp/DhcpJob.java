package org.mirage4j.samples.dhcp;

import java.io.IOException;
import org.mirage4j.api.Console;
import org.mirage4j.api.DhcpServer;
import org.mirage4j.api.Job;

/** Serves DHCP until the unikernel stops, logging every lease that is granted, renewed or ends. */
public final class DhcpJob implements Job {
  private final Console console;
  private final DhcpServer server;

  /** The console and the DHCP server. */
  public DhcpJob(Console console, DhcpServer server) {
    this.console = console;
    this.server = server;
  }

  @Override
  public void start() throws IOException {
    console.log("DHCP server ready");
    server.serve((event, lease) -> console.log(event + " " + lease.address() + " to " + lease.client()
        + lease.hostname().map(h -> " (" + h + ")").orElse("")
        + (lease.remaining().isZero() ? "" : " for " + lease.remaining().toSeconds() + " s")));
  }
}
