/** The {@code build_info} driver: what the unikernel was built from, recorded by the generator. */
package org.mirage4j.drivers.info;
