/** What the IPv4 and the IPv6 layers of the direct stack share: fragment reassembly with limits. */
package org.mirage4j.drivers.direct.ip;
