/**
 * The host socket stack: {@link org.mirage4j.drivers.socket.SocketStack}, TCP and UDP over the
 * operating system's sockets behind {@link org.mirage4j.api.Stack} ({@code unix} target).
 */
package org.mirage4j.drivers.socket;
