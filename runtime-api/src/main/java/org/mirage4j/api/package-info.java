/**
 * The device signatures of mirage4j: one Java interface per device type of the standard library
 * ({@code std.mirage}), plus the value types that runtime keys and devices exchange.
 *
 * <p>An application (a <em>job</em>) is written against these interfaces only; the generated wiring
 * decides which driver implements each of them for the selected target. Every device follows the
 * {@link org.mirage4j.api.Device} lifecycle: constructed by the wiring, {@linkplain
 * org.mirage4j.api.Device#connect() connected} once after the devices it depends on, and {@linkplain
 * org.mirage4j.api.Device#close() closed} once, in reverse order.
 */
package org.mirage4j.api;
