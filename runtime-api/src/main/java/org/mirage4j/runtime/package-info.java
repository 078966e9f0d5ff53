/**
 * The small runtime that generated wiring code calls: {@link org.mirage4j.runtime.OptionParser}
 * turns the command line into typed runtime-key values, and {@link org.mirage4j.runtime.Lifecycle}
 * creates, connects and closes the devices and runs the jobs. It holds no global state: what the
 * generator knows about a device (the guest device behind a host resource, on {@code xen} and
 * {@code arm}) is passed to its driver's constructor.
 *
 * <p>Everything here reports problems as one line naming the option, device or job and its place in
 * {@code config.mirage}; none of it prints a stack trace. Ending the process goes through {@link
 * org.mirage4j.runtime.Exit}, so tests can observe the status without ending their JVM.
 */
package org.mirage4j.runtime;
