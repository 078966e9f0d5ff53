/**
 * The HTTP server device: {@link org.mirage4j.drivers.http.StackHttpServer}, HTTP/1.1 over any
 * {@link org.mirage4j.api.Stack} (the host socket stack or the direct stack), and {@link
 * org.mirage4j.drivers.http.StaticFiles}, a handler that serves a {@link org.mirage4j.api.KvRo}.
 */
package org.mirage4j.drivers.http;
