package org.mirage4j.drivers.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.mirage4j.api.Flow;
import org.mirage4j.api.http.HttpException;
import org.mirage4j.api.http.HttpHandler;
import org.mirage4j.api.http.HttpRequest;
import org.mirage4j.api.http.HttpResponse;
import org.mirage4j.drivers.tls.TlsFlow;

/**
 * One connection of a {@link StackHttpServer}: reads requests one after the other, hands each to
 * the handler, writes the responses, and tells the server what it is doing so that the server can
 * choose whom to close when it is full.
 */
final class Connection implements FlowInput.Listener {

  private static final System.Logger LOG = System.getLogger("http");

  /** Waiting with no byte of a request: the first choice to close when the server is full. */
  static final int WAITING = 0;
  /** Reading a request's head. */
  static final int HEAD = 1;
  /** Reading a body, running the handler or writing the response: never closed to make room. */
  static final int BUSY = 2;

  private static final InputStream NO_BODY =
      new InputStream() {
        @Override
        public int read() {
          return -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
          java.util.Objects.checkFromIndexSize(off, len, b.length);
          return len == 0 ? 0 : -1;
        }
      };

  final Flow transport; // what the stack accepted; closing it ends everything
  final InetAddress client;
  final long accepted;
  private final StackHttpServer server;
  private final StackHttpServer.Limits limits;
  private final Flow flow; // the transport, or TLS over it
  private volatile int phase = WAITING;
  private volatile long phaseSince;
  private volatile boolean evicted;
  // when the last response began to be written, once it has been (0: not answered yet): from then
  // the connection is idle, though its thread may not have said so yet
  private volatile long answeredAt;
  private volatile int servedCount;
  // how long the connection may wait for the first byte of a request: the head timeout for the
  // first request, the idle timeout between requests (0: forever); enforced by the watchdog
  private volatile long waitLimit;
  private FlowInput in;
  private ResponseWriter out;

  Connection(StackHttpServer server, Flow transport, Flow flow, long accepted) {
    this.server = server;
    this.limits = server.limits();
    this.transport = transport;
    this.flow = flow;
    this.client = transport.remoteAddress() == null ? null : transport.remoteAddress().getAddress();
    this.accepted = accepted;
    this.phaseSince = accepted;
    this.waitLimit = limits.headerTimeout().toNanos();
  }

  /** Whether the connection has waited for a request longer than it may (for the watchdog). */
  boolean waitedTooLong(long now) {
    long limit = waitLimit;
    return phase == WAITING && limit > 0 && now - phaseSince > limit;
  }

  int phase() {
    return phase;
  }

  /** How many requests the connection has been answered so far. */
  int served() {
    return servedCount;
  }

  long phaseSince() {
    return phaseSince;
  }

  /** How long the pending response write has been blocked (0: none), for the watchdog. */
  long writeBlockedFor(long now) {
    ResponseWriter w = out;
    return w == null ? 0 : w.blockedFor(now);
  }

  private void enter(int p) {
    if (p == BUSY) {
      answeredAt = 0;
    }
    phaseSince = System.nanoTime();
    phase = p;
  }

  /**
   * Whether the connection is persistent and between requests: waiting for the next one, or its
   * response written and its thread not yet back to waiting (on a loaded machine, the client may
   * have read the response and sent more on other connections by then).
   */
  boolean idle() {
    return (phase == WAITING && servedCount > 0) || (phase == BUSY && answeredAt != 0);
  }

  /**
   * Since when {@link #idle()} holds: when its last response began to be written, which comes
   * before the client could have seen it, so that the connection answered first is idle the longest.
   */
  long idleSince() {
    long a = answeredAt;
    return a != 0 ? a : phaseSince;
  }

  @Override
  public void requestBegins() {
    enter(HEAD);
  }

  /** Closes the connection to make room for another; its thread ends quietly. */
  void evict() {
    evicted = true;
    abort();
  }

  /** Closes the connection at once (the server is closing, or a write stalled). */
  void abort() {
    if (loop != null) {
      finish();
    } else {
      closeQuietly(transport);
    }
  }

  /** Serves requests until the connection ends (the thread engine: this thread is the connection's). */
  void serve(HttpHandler handler) {
    try {
      start();
      while (step(handler)) {
        // next request
      }
    } catch (Exception e) {
      ended(e);
    } finally {
      closeQuietly(flow);
      closeQuietly(transport);
    }
  }

  private void start() {
    in = new FlowInput(flow, Math.max(8192, limits.maxHeaderBytes() + 1024), this);
    out = new ResponseWriter(flow, limits);
    in.headBy(limits.headerTimeout().isZero() ? 0 : accepted + limits.headerTimeout().toNanos(), true);
  }

  // the event engine: set by the loop that serves the connection
  private EventLoop loop;
  private java.nio.channels.SelectionKey key;
  private final java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean disarmed;

  /**
   * Joins the event engine: the flow is non-blocking and registered with {@code loop}'s selector
   * under {@code key}; the connection is served by {@link #onReadable} when data arrives.
   */
  void startInLoop(EventLoop loop, java.nio.channels.SelectionKey key) {
    this.loop = loop;
    this.key = key;
    start();
  }

  java.nio.channels.SelectionKey key() {
    return key;
  }

  /** Takes the connection for serving on this thread; false if another thread serves it now. */
  boolean claim() {
    return busy.compareAndSet(false, true);
  }

  /** Gives the connection back after {@link #claim}; re-arms its key if a loop disarmed it meanwhile. */
  void unclaim() {
    busy.set(false);
    if (disarmed) {
      disarmed = false;
      loop.rearm(this);
    }
  }

  /**
   * A loop found the connection readable while another thread serves it: stops the selector from
   * reporting it until that thread is done.
   */
  void disarm() {
    disarmed = true;
    try {
      key.interestOps(0);
    } catch (java.nio.channels.CancelledKeyException e) {
      return;
    }
    if (!busy.get() && disarmed) {
      disarmed = false;
      loop.rearm(this);
    }
  }

  /**
   * The event engine: reads what has arrived without waiting, then serves every request that is
   * there (the rest of a request that has begun, a body, a slow client's response are waited for
   * on this thread; the loop's monitor hands the loop to another thread if that takes long).
   *
   * @return false if the connection has ended (it is closed and released)
   */
  boolean onReadable(HttpHandler handler) {
    try {
      int n = in.fillNow((org.mirage4j.api.SelectableFlow) transport);
      if (n < 0 && !in.hasBuffered()) {
        finish();
        return false;
      }
      if (!in.hasBuffered()) {
        return true; // nothing yet
      }
      if (in.requestStarted() && phase == WAITING) {
        enter(HEAD);
      }
      while (true) {
        if (!step(handler)) {
          finish();
          return false;
        }
        if (!in.hasBuffered()) {
          return true; // wait in the loop for the next request
        }
      }
    } catch (Exception e) {
      ended(e);
      finish();
      return false;
    }
  }

  /** Closes the connection of the event engine and counts it out, once. */
  void finish() {
    if (finished.compareAndSet(false, true)) {
      closeQuietly(flow);
      closeQuietly(transport);
      server.released(this);
      if (loop != null) {
        loop.wakeup(); // a closed channel leaves the selector (and is closed for good) on its next select
      }
    }
  }

  private void ended(Exception e) {
    if (e instanceof TlsFlow.PlainTextException) {
      plainTextToTls();
    } else if (e instanceof EOFException) {
      LOG.log(Level.DEBUG, () -> "client went away mid-request: " + e.getMessage());
    } else if (e instanceof IOException) {
      // reset, broken pipe, timeout, the server closing: nothing to answer to
      if (!evicted) {
        LOG.log(Level.DEBUG, () -> "connection ended: " + e);
      }
    } else {
      LOG.log(Level.WARNING, "unexpected failure serving a connection from " + client, e);
    }
  }

  /**
   * Reads one request (waiting for it as the rules say), answers it, and prepares for the next.
   *
   * @return whether the connection goes on
   */
  private boolean step(HttpHandler handler) throws IOException {
    RequestParser.Head head;
    try {
      head = server.parser().read(in);
    } catch (HttpError e) {
      LOG.log(Level.DEBUG, () -> "refused a request from " + client + ": " + e.getMessage());
      enter(BUSY);
      out.write(errorResponse(e.status(), e.getMessage()), false, false, false);
      lingeringClose();
      return false;
    } catch (SocketTimeoutException e) {
      if (in.requestStarted() && !server.isClosed()) {
        enter(BUSY);
        out.write(errorResponse(408, "request head not received in time"), false, false, false);
        lingeringClose();
      }
      return false;
    }
    if (head == null) {
      return false; // the client closed the connection between requests
    }
    enter(BUSY);
    int served = servedCount + 1;
    boolean keepAlive = head.keepAlive() && served < limits.maxRequestsPerConnection();
    boolean clean = respond(handler, head, keepAlive);
    servedCount = served;
    if (!clean) {
      return false;
    }
    if (server.isClosed()) {
      return false; // answered with Connection: close
    }
    in.awaitRequest(limits.headerTimeout());
    waitLimit = limits.idleTimeout().toNanos();
    enter(in.requestStarted() ? HEAD : WAITING);
    return !(server.isClosed() && !in.requestStarted());
  }

  /**
   * Runs the handler on one request and writes its response.
   *
   * @return whether the connection can go on to the next request
   */
  private boolean respond(HttpHandler handler, RequestParser.Head head, boolean keepAlive)
      throws IOException {
    BodyInput body = null;
    InputStream stream = NO_BODY;
    if (head.contentLength() != 0) {
      body =
          new BodyInput(
              in, head.contentLength(), limits.maxBodyBytes(), limits.maxHeaderBytes(),
              head.expectContinue() ? out::writeContinue : null);
      stream = body;
      in.bodyRate(limits.stallTimeout(), limits.minDataRate());
    }
    HttpRequest request =
        HttpRequest.of(
            head.method(), head.path(), head.query(), head.headers(), stream, head.contentLength(),
            flow.remoteAddress());
    boolean isHead = head.method().equals("HEAD");
    HttpResponse response;
    try {
      response = handler.handle(request);
      if (response == null) {
        throw new IllegalStateException("the handler returned no response");
      }
    } catch (HttpException e) {
      response = errorResponse(e.status(), e.getMessage());
    } catch (Exception e) {
      if (body != null && (body.clientGone() || body.failure() != null)) {
        response = null; // answered below, or nobody to answer
      } else {
        LOG.log(Level.WARNING, "the handler failed on " + request, e);
        response = errorResponse(500, "internal server error");
        keepAlive = false;
      }
    }
    if (body != null) {
      if (body.clientGone()) {
        return false;
      }
      if (body.failure() != null) {
        // the body broke (too large, too slow, malformed): that is the answer, whatever the handler said
        response = errorResponse(body.failure().status(), body.failure().getMessage());
        keepAlive = false;
      } else if (!body.finished()) {
        if (body.awaitingContinue()) {
          keepAlive = false; // the client may or may not send the body it was never asked for
        } else if (!body.drain()) {
          if (body.clientGone()) {
            return false;
          }
          keepAlive = false;
          if (body.failure() != null) {
            response = errorResponse(body.failure().status(), body.failure().getMessage());
          }
        }
      }
    }
    if (response == null) {
      response = errorResponse(500, "internal server error");
      keepAlive = false;
    }
    if (server.isClosed()) {
      keepAlive = false;
    }
    boolean open;
    long writing = System.nanoTime();
    try {
      open = out.write(response, isHead, head.minorVersion() == 0, keepAlive);
    } catch (IllegalStateException e) {
      // invalid header fields from the handler: nothing was sent yet
      LOG.log(Level.WARNING, "the handler's response to " + request + " is invalid: " + e.getMessage());
      out.write(errorResponse(500, "internal server error"), isHead, head.minorVersion() == 0, false);
      open = false;
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      // a streamed body's writer failed
      if (!out.committed()) {
        LOG.log(Level.WARNING, "the response body writer failed on " + request, e);
        out.write(errorResponse(500, "internal server error"), isHead, head.minorVersion() == 0, false);
      } else {
        LOG.log(Level.WARNING, "the response body writer failed on " + request + " after the head was sent", e);
      }
      open = false;
    }
    if (!open) {
      boolean pending = in.hasBuffered() || (body != null && !body.finished());
      if (pending) {
        lingeringClose();
      }
      return false;
    }
    answeredAt = writing == 0 ? 1 : writing;
    return true;
  }

  /** Answers a plain-text request sent to an HTTPS port, in plain text, and closes. */
  private void plainTextToTls() {
    try {
      ResponseWriter plain = new ResponseWriter(transport, limits);
      plain.write(errorResponse(400, "this port speaks HTTPS; use https://"), false, false, false);
      transport.shutdownOutput();
    } catch (IOException | RuntimeException e) {
      // gone already
    }
  }

  /** Most bytes a lingering close reads and drops. */
  static final long LINGER_BYTES = 64L * 1024 * 1024;

  static HttpResponse errorResponse(int status, String message) {
    return HttpResponse.text(status, status + " " + Status.reason(status) + ": " + message + "\n");
  }

  /**
   * Closes after an error without losing the response: stop sending, read (and drop) what the
   * client still sends for a short while, then close. Closing with unread input would reset the
   * connection and could destroy the response before the client reads it. As nginx's lingering
   * close, the bound is time (2 s, and 500 ms without a byte), not a small byte count: after 256
   * KiB a client still uploading the rest of a refused 9 MiB body got the reset before it had read
   * the 413. {@link #LINGER_BYTES} only stops a client that sends without end on a fast link.
   */
  private void lingeringClose() {
    try {
      flow.shutdownOutput();
      flow.readTimeout(Duration.ofMillis(500));
      ByteBuffer sink = ByteBuffer.allocate(8192);
      long drained = 0;
      long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (drained < LINGER_BYTES && System.nanoTime() < until) {
        sink.clear();
        int n = flow.read(sink);
        if (n < 0) {
          break;
        }
        drained += n;
      }
    } catch (IOException e) {
      // timeout, reset: either way we are done
    }
  }

  static void closeQuietly(Flow flow) {
    try {
      flow.close();
    } catch (IOException | RuntimeException e) {
      // nothing to do
    }
  }

  @Override
  public String toString() {
    return "Connection(" + client + ", phase " + phase + ")";
  }
}
