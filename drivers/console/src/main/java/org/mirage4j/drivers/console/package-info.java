/** Console drivers: {@link org.mirage4j.drivers.console.StdoutConsole}. */
package org.mirage4j.drivers.console;
