/** Random drivers: {@link org.mirage4j.drivers.random.SecureRandomSource}. */
package org.mirage4j.drivers.random;
