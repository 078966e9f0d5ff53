package org.mirage4j.drivers.direct.tcp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import org.mirage4j.api.Flow;
import org.mirage4j.drivers.direct.time.Scheduler;

/**
 * A connection as the application sees it: RFC 9293's user calls RECEIVE, SEND, CLOSE (here
 * {@link #shutdownOutput()}) and ABORT-on-close-with-unread-data, as a blocking {@link Flow}.
 */
final class TcpFlow implements Flow {
  private final Connection c;
  private boolean closed;
  private boolean outputShut;

  TcpFlow(Connection c) {
    this.c = c;
  }

  @Override
  public int read(ByteBuffer into) throws IOException {
    if (!into.hasRemaining()) {
      return 0;
    }
    ConnectionTable table = c.table;
    table.lock.lock();
    try {
      boolean[] timedOut = {false};
      Scheduler.Timer timer = null;
      try {
        while (c.receive.size() == 0) {
          if (closed) {
            throw new ClosedChannelException();
          }
          if (c.finReceived) {
            return -1;
          }
          if (c.error != null) {
            throw new SocketException(c.error.getMessage());
          }
          if (c.state == State.CLOSED) {
            throw new SocketException("connection closed");
          }
          if (timedOut[0]) {
            throw new SocketTimeoutException("read timed out");
          }
          if (timer == null && !c.readTimeout.isZero()) {
            timer = table.scheduler.schedule(c.readTimeout.toNanos(), () -> {
              table.lock.lock();
              try {
                timedOut[0] = true;
                c.readable.signalAll();
              } finally {
                table.lock.unlock();
              }
            });
          }
          c.readable.await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("read interrupted");
      } finally {
        if (timer != null) {
          timer.cancel();
        }
      }
      long before = c.rcvAdvEdge;
      int n = c.receive.read(into);
      // Window update when the right edge can move by a useful amount.
      long rcvNxt = c.receive.next();
      long newEdge = rcvNxt + Math.min(TcpParameters.RCV_BUF - c.receive.size(),
          65535L << c.rcvShift);
      boolean useful = newEdge - before >= TcpParameters.RCV_BUF / 2
          || (before - rcvNxt < c.mss && newEdge - before >= c.mss);
      if (useful && table.isCurrent(c) && c.state != State.SYN_RECEIVED && !c.finReceived) {
        c.sendAck();
      }
      return n;
    } finally {
      table.lock.unlock();
    }
  }

  @Override
  public void write(ByteBuffer data) throws IOException {
    c.table.lock.lock();
    try {
      while (data.hasRemaining()) {
        if (closed || outputShut) {
          throw new ClosedChannelException();
        }
        if (c.error != null) {
          throw new SocketException(c.error.getMessage());
        }
        if (c.state != State.ESTABLISHED && c.state != State.CLOSE_WAIT) {
          throw new SocketException("connection is " + c.state);
        }
        if (c.send.free() == 0) {
          try {
            c.writable.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("write interrupted");
          }
          continue;
        }
        c.send.write(data);
        c.output(false);
      }
    } finally {
      c.table.lock.unlock();
    }
  }

  @Override
  public void shutdownOutput() throws IOException {
    c.table.lock.lock();
    try {
      if (closed) {
        throw new ClosedChannelException();
      }
      shutdownLocked();
    } finally {
      c.table.lock.unlock();
    }
  }

  private void shutdownLocked() {
    if (outputShut) {
      return;
    }
    outputShut = true;
    if (c.send.finQueued()) {
      return;
    }
    switch (c.state) {
      case ESTABLISHED -> c.state = State.FIN_WAIT_1;
      case CLOSE_WAIT -> c.state = State.LAST_ACK;
      default -> {
        return;
      }
    }
    c.send.queueFin();
    c.output(false);
  }

  @Override
  public void readTimeout(Duration timeout) {
    c.table.lock.lock();
    try {
      c.readTimeout = timeout == null ? Duration.ZERO : timeout;
    } finally {
      c.table.lock.unlock();
    }
  }

  @Override
  public InetSocketAddress localAddress() {
    return new InetSocketAddress(c.local.toInetAddress(), c.key.localPort());
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return c.remote();
  }

  @Override
  public void close() {
    ConnectionTable table = c.table;
    table.lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      c.appClosed = true;
      c.readable.signalAll();
      c.writable.signalAll();
      if (!table.isCurrent(c)) {
        return;
      }
      if (c.receive.size() > 0 || c.state == State.SYN_SENT || c.state == State.SYN_RECEIVED) {
        // Unread data is lost: tell the peer (RFC 9293 3.10.4, as BSD and Linux do).
        c.sendReset();
        table.remove(c);
        return;
      }
      shutdownLocked();
      if (c.state == State.FIN_WAIT_2) {
        c.armOrphanTimer();
      }
    } finally {
      table.lock.unlock();
    }
  }
}
