/** The Linux TAP network device: raw Ethernet frames through {@code /dev/net/tun}. */
package org.mirage4j.drivers.tap;
