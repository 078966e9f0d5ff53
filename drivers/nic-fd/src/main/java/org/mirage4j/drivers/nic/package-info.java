/**
 * What the fd-backed NICs share: {@link org.mirage4j.drivers.nic.FdNetwork}, a {@link
 * org.mirage4j.api.Network} over a Linux file descriptor (the TAP driver, {@code
 * org.mirage4j.drivers.tap.TapNetwork}, and the packet socket driver, {@code
 * org.mirage4j.drivers.packet.PacketSocketNetwork}, extend it); {@link
 * org.mirage4j.drivers.nic.Interfaces}, interface names, MTU and MAC by ioctl; and {@link
 * org.mirage4j.drivers.nic.LibC}, the libc calls, through JNA.
 */
package org.mirage4j.drivers.nic;
