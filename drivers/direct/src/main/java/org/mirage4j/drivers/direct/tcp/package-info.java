/**
 * The direct stack's TCP (RFC 9293), in the pieces its RFCs describe, each testable alone:
 *
 * <ul>
 *   <li>{@link org.mirage4j.drivers.direct.tcp.Segment}: parsing and encoding segments and their
 *       MSS and window-scale options; {@link org.mirage4j.drivers.direct.tcp.Sequence}: sequence
 *       arithmetic modulo 2^32;
 *   <li>{@link org.mirage4j.drivers.direct.tcp.RetransmissionTimer}: RFC 6298 (RTT estimation,
 *       Karn's rule, back-off, the timer); {@link
 *       org.mirage4j.drivers.direct.tcp.CongestionControl}: RFC 5681 and RFC 6582 (NewReno), RFC
 *       3042, RFC 3390;
 *   <li>{@link org.mirage4j.drivers.direct.tcp.SendQueue} and {@link
 *       org.mirage4j.drivers.direct.tcp.ReceiveQueue} (with out-of-order segments);
 *   <li>{@link org.mirage4j.drivers.direct.tcp.Connection}: one connection's control block and
 *       send path; {@link org.mirage4j.drivers.direct.tcp.StateMachine}: segment arrival and
 *       timeouts (RFC 9293 3.10.7, 3.10.8, RFC 5961);
 *   <li>{@link org.mirage4j.drivers.direct.tcp.TcpFlow} and {@link
 *       org.mirage4j.drivers.direct.tcp.PortListener}: what the application holds;
 *   <li>{@link org.mirage4j.drivers.direct.tcp.ConnectionTable}: demultiplexing, listening and
 *       closed ports, active opens, ephemeral ports, the bounds on state;
 *   <li>{@link org.mirage4j.drivers.direct.tcp.IpLayer}: what TCP needs from the IP layer; {@link
 *       org.mirage4j.drivers.direct.tcp.TcpParameters}: every constant.
 * </ul>
 *
 * <p>The std.mirage driver is {@link org.mirage4j.drivers.direct.TcpLayer}, which puts these over
 * an {@code Ipv4} layer.
 */
package org.mirage4j.drivers.direct.tcp;
