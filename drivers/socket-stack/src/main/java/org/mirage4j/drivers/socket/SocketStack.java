package org.mirage4j.drivers.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.mirage4j.api.Stack;
import org.mirage4j.api.Tcp;
import org.mirage4j.api.Udp;

/**
 * The {@code socket_stack} driver: TCP and UDP over the host's sockets.
 *
 * <p>Listening sockets bind the address they are given ({@link Tcp#listen(InetAddress, int, int)})
 * or the host's wildcard address, which on a dual-stack host accepts both IPv4 and IPv6; bound UDP
 * sockets use the wildcard address; connections go to IPv4 or IPv6 addresses alike. {@link #addresses()} is empty,
 * meaning "every address of the host". {@link #close()} closes every listener, connection and UDP
 * socket the stack opened and not yet closed, which unblocks any thread waiting in {@code accept},
 * {@code read} or {@code receive}.
 */
public final class SocketStack implements Stack {

  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
  private final SocketTcp tcp = new SocketTcp(this);
  private final SocketUdp udp = new SocketUdp(this);
  private volatile boolean closed;

  /** A stack over the host's sockets. */
  public SocketStack() {}

  @Override
  public Tcp tcp() {
    return tcp;
  }

  @Override
  public Udp udp() {
    return udp;
  }

  @Override
  public List<InetAddress> addresses() {
    return List.of();
  }

  /** Remembers {@code resource} so that {@link #close()} can release it. */
  void opened(AutoCloseable resource) throws IOException {
    open.add(resource);
    if (closed) {
      open.remove(resource);
      closeQuietly(resource);
      throw new java.nio.channels.ClosedChannelException();
    }
  }

  /** Forgets a resource that was closed by its owner. */
  void released(AutoCloseable resource) {
    open.remove(resource);
  }

  /** Whether {@link #close()} was called. */
  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    List<AutoCloseable> all = new ArrayList<>(open);
    open.clear();
    for (AutoCloseable resource : all) {
      closeQuietly(resource);
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      // closing on shutdown: nothing useful to do with the error
    }
  }

  @Override
  public String toString() {
    return "SocketStack";
  }
}
