/**
 * Network devices over raw {@code AF_PACKET} sockets: {@link
 * org.mirage4j.drivers.packet.PacketSocketNetwork} for a named interface and {@link
 * org.mirage4j.drivers.packet.NetfrontNetwork} for the guest NIC of the xen and arm targets.
 */
package org.mirage4j.drivers.packet;
