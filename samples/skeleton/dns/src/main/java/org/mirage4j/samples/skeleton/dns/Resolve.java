package org.mirage4j.samples.skeleton.dns;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.util.List;
import java.util.regex.Pattern;
import org.mirage4j.api.DnsClient;
import org.mirage4j.api.ExitStatus;
import org.mirage4j.api.Job;

/**
 * The original's {@code DNS.gethostbyname dns (domain_name ())}: the first IPv4 address of the
 * name, logged as {@code name: address}; a failure ends the unikernel (status 1) with its message.
 */
public final class Resolve implements Job {

  private static final System.Logger LOG = System.getLogger("application");

  /** A host name: dot-separated labels of letters, digits and inner hyphens, 1 to 63 each. */
  private static final Pattern HOST =
      Pattern.compile("(?=.{1,253}\\.?$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*"
          + "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.?");

  private final DnsClient dns;
  private final String domainName;

  /** The wiring passes the DNS client and {@code --domain-name}. */
  public Resolve(DnsClient dns, String domainName) {
    this.dns = dns;
    this.domainName = domainName;
  }

  @Override
  public void start() throws IOException {
    // the original's Cmdliner converter: Domain_name.of_string, then Domain_name.host
    if (!HOST.matcher(domainName).matches()) {
      throw ExitStatus.of(64, "option --domain-name: invalid host name '" + domainName + "'");
    }
    List<Inet4Address> addresses = dns.resolveIpv4(domainName);
    LOG.log(Level.INFO, domainName + ": " + addresses.get(0).getHostAddress());
  }
}
