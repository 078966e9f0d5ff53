/**
 * What the IPv4 and the IPv6 layers of the direct stack share: fragment reassembly with limits,
 * and the bookkeeping of the echo requests a host sent (ping).
 */
package org.mirage4j.drivers.direct.ip;
