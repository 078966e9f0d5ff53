/**
 * The DNS client device: {@link org.mirage4j.drivers.dns.StackDnsClient}, a stub resolver of A
 * and AAAA records over the UDP (and, for long answers, TCP) of any {@link org.mirage4j.api.Stack}.
 */
package org.mirage4j.drivers.dns;
