/**
 * TLS for mirage4j: {@link org.mirage4j.drivers.tls.TlsFlow}, the JDK's {@code SSLEngine} over any
 * {@link org.mirage4j.api.Flow} (so over the socket stack and the direct stack alike), and {@link
 * org.mirage4j.drivers.tls.TlsContexts}, server credentials and client trust from PEM.
 */
package org.mirage4j.drivers.tls;
