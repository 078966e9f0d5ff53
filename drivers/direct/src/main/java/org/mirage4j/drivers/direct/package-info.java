/**
 * mirage4j's direct TCP/IP stack: Ethernet, ARP, IPv4 (static or DHCP), ICMP, UDP and TCP written in
 * Java over a {@link org.mirage4j.api.Network} that sends and receives raw Ethernet frames, the
 * counterpart of MirageOS's own stack. See {@code docs/direct-stack.md} for what each RFC covers.
 *
 * <p>Inbound frames are handled on the Ethernet layer's receive thread; timers run on a {@link
 * org.mirage4j.drivers.direct.time.Scheduler}, which tests replace by a virtual clock.
 */
package org.mirage4j.drivers.direct;
