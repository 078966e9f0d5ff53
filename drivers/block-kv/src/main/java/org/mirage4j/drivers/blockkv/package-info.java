/**
 * A read-write key-value store on a block device ({@code block_kv_rw} in {@code config.mirage}):
 * H2's MVStore format, on any target's block device, through a channel that gives the device a
 * crash-safe length of its own.
 */
package org.mirage4j.drivers.blockkv;
