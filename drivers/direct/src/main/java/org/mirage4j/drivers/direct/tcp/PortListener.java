package org.mirage4j.drivers.direct.tcp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.locks.Condition;
import org.mirage4j.api.Flow;
import org.mirage4j.api.TcpListener;

/**
 * A listening port (RFC 9293's LISTEN): its half-open connections (oldest first, for eviction) and
 * the established ones waiting for {@link #accept()}, at most {@code backlog}.
 */
final class PortListener implements TcpListener {
  private final ConnectionTable table;
  final int port;
  final int backlog;
  final ArrayDeque<Connection> queue = new ArrayDeque<>();
  final LinkedHashSet<Connection> halfOpen = new LinkedHashSet<>();
  final Condition ready;
  boolean closed;

  PortListener(ConnectionTable table, int port, int backlog) {
    this.table = table;
    this.port = port;
    this.backlog = backlog;
    this.ready = table.lock.newCondition();
  }

  /** Most half-open connections this listener keeps: twice the backlog, within fixed bounds. */
  int halfOpenLimit() {
    return Math.min(TcpParameters.MAX_HALF_OPEN_PER_LISTENER, Math.max(16, 2 * backlog));
  }

  @Override
  public Flow accept() throws IOException {
    table.lock.lock();
    try {
      while (queue.isEmpty() && !closed) {
        ready.await();
      }
      if (closed) {
        throw new ClosedChannelException();
      }
      return queue.poll().flow;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("accept interrupted");
    } finally {
      table.lock.unlock();
    }
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public void close() {
    table.lock.lock();
    try {
      closeLocked();
    } finally {
      table.lock.unlock();
    }
  }

  /** Stops listening and resets every connection not yet accepted. */
  void closeLocked() {
    if (closed) {
      return;
    }
    closed = true;
    table.unlisten(this);
    List<Connection> doomed = new ArrayList<>(halfOpen);
    doomed.addAll(queue);
    for (Connection c : doomed) {
      c.sendReset();
      table.remove(c);
    }
    ready.signalAll();
  }
}
