/** Wire-format helpers shared by the direct stack's protocol layers: the Internet checksum. */
package org.mirage4j.drivers.direct.wire;
