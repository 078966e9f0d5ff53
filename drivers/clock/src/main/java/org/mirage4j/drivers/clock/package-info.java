/** Clock drivers over the host JVM's clocks. */
package org.mirage4j.drivers.clock;
