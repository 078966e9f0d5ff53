/**
 * The direct stack's time: a {@link org.mirage4j.drivers.direct.time.Scheduler} (a clock with
 * one-shot timers) that every layer's timeouts go through, and its real-time implementation; tests
 * give the layers a virtual-time scheduler instead.
 */
package org.mirage4j.drivers.direct.time;
