/**
 * Block device drivers: {@link org.mirage4j.drivers.block.FileBlock} (a host file, {@code unix}) and
 * {@link org.mirage4j.drivers.block.XenBlock} (the guest's {@code /dev/xvdX}, {@code xen} and {@code
 * arm}). Both use 512-byte sectors and check every request against the device's bounds.
 */
package org.mirage4j.drivers.block;
