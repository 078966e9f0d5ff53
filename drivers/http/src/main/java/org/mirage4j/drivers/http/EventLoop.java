package org.mirage4j.drivers.http;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.mirage4j.api.SelectableFlow;
import org.mirage4j.api.SelectableTcpListener;

/**
 * One event loop of a {@link StackHttpServer} on a selectable stack: a selector that waits for new
 * connections on the listener (every loop accepts) and for requests on the idle connections this
 * loop owns. A readable connection is served on the loop's thread, the handler included, so that
 * with many busy connections a thread takes many ready requests per wake-up without switching.
 *
 * <p>A request whose rest, body or response must be waited for (a slow client, a large upload, a
 * handler that blocks) is waited for on the loop's thread; so that it does not hold up the loop's
 * other connections, the server's monitor hands the loop to a fresh thread when its thread has
 * spent longer than {@link #HANDOFF_NANOS} on one connection. The old thread finishes that
 * connection (which then goes back to the loop) and ends.
 */
final class EventLoop {

  private static final System.Logger LOG = System.getLogger(StackHttpServer.class.getName());

  /** How long one connection may keep the loop's thread before the loop moves to another thread. */
  static final long HANDOFF_NANOS = 20_000_000L;

  private static final int ACCEPTS_PER_WAKEUP = 64;

  private final StackHttpServer server;
  private final SelectableTcpListener listener;
  private final Selector selector;
  private final Object selecting = new Object(); // held by the thread that selects and collects keys
  private final ArrayDeque<SelectionKey> ready = new ArrayDeque<>(); // guarded by itself
  private final ConcurrentLinkedQueue<Connection> rearms = new ConcurrentLinkedQueue<>();
  private final int index;
  private volatile Object owner; // the token of the thread that runs the loop
  private volatile long busySince; // System.nanoTime() when its thread began on a connection, 0 if none
  private volatile boolean ended;

  EventLoop(StackHttpServer server, SelectableTcpListener listener, int index) throws IOException {
    this.server = server;
    this.listener = listener;
    this.index = index;
    this.selector = Selector.open();
    try {
      listener.channel().register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
  }

  /** A new owner token: the thread that runs {@link #run(Object)} with it becomes the loop's. */
  Object newOwner() {
    Object token = new Object();
    owner = token;
    return token;
  }

  /** Whether the loop's thread has been on one connection longer than {@link #HANDOFF_NANOS}. */
  boolean stuck(long now) {
    long since = busySince;
    return since != 0 && now - since > HANDOFF_NANOS && !ended;
  }

  /** Wakes the selector (a closed or re-armed connection, the server stopping). */
  void wakeup() {
    if (!ended) {
      try {
        selector.wakeup();
      } catch (RuntimeException e) {
        // closed meanwhile
      }
    }
  }

  /** Lets the selector report {@code c} again (from any thread). */
  void rearm(Connection c) {
    rearms.add(c);
    wakeup();
  }

  /** Runs the loop on this thread for as long as {@code token} is its owner and the server runs. */
  void run(Object token) {
    Thread.currentThread().setName("http-" + listener.port() + "-loop-" + index);
    try {
      while (owner == token && !server.isClosed()) {
        serveReady(token);
        if (owner != token || server.isClosed()) {
          break;
        }
        synchronized (selecting) {
          if (owner != token) {
            break;
          }
          Connection c;
          while ((c = rearms.poll()) != null) {
            try {
              if (c.key().isValid()) {
                c.key().interestOps(SelectionKey.OP_READ);
              }
            } catch (CancelledKeyException e) {
              // closed meanwhile
            }
          }
          selector.select();
          synchronized (ready) {
            ready.addAll(selector.selectedKeys());
          }
          selector.selectedKeys().clear();
        }
      }
    } catch (ClosedSelectorException e) {
      // the server closed the loop
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "event loop " + index + " of port " + listener.port() + " failed", e);
    } finally {
      if (server.isClosed() && owner == token) {
        close();
      }
    }
  }

  private void serveReady(Object token) {
    while (owner == token) {
      SelectionKey key;
      synchronized (ready) {
        key = ready.poll();
      }
      if (key == null) {
        return;
      }
      if (!key.isValid()) {
        continue;
      }
      Object attachment = key.attachment();
      if (attachment == null) {
        acceptAll();
        continue;
      }
      Connection c = (Connection) attachment;
      if (!c.claim()) {
        c.disarm(); // another thread serves it (it had the loop before)
        continue;
      }
      busySince = System.nanoTime();
      try {
        c.onReadable(server.handler());
      } finally {
        busySince = 0;
        c.unclaim();
      }
    }
  }

  private void acceptAll() {
    for (int i = 0; i < ACCEPTS_PER_WAKEUP && !server.isClosed(); i++) {
      SelectableFlow flow;
      try {
        flow = listener.acceptNow();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!server.isClosed()) {
          // e.g. out of file descriptors: keep serving the connections we have
          LOG.log(Level.WARNING, "accept failed on port " + listener.port() + ": " + e);
        }
        return;
      }
      if (flow == null) {
        return;
      }
      long now = System.nanoTime();
      Connection c = server.admitFromLoop(flow, now);
      if (c == null) {
        continue; // refused, or served on a thread of its own (TLS)
      }
      SelectionKey key;
      try {
        flow.configureNonBlocking();
        key = flow.channel().register(selector, SelectionKey.OP_READ, c);
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.DEBUG, () -> "could not register a connection: " + e);
        c.finish();
        continue;
      }
      c.startInLoop(this, key);
      c.claim();
      busySince = now;
      try {
        c.onReadable(server.handler()); // the request is often here already
      } finally {
        busySince = 0;
        c.unclaim();
      }
    }
  }

  /** Ends the loop: closes its selector (the connections are closed by the server). */
  void close() {
    ended = true;
    try {
      selector.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
