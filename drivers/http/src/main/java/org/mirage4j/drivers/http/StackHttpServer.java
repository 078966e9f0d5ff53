package org.mirage4j.drivers.http;

import java.io.EOFException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.mirage4j.api.Flow;
import org.mirage4j.api.HttpServer;
import org.mirage4j.api.Stack;
import org.mirage4j.api.TcpListener;
import org.mirage4j.api.http.HttpHandler;
import org.mirage4j.api.http.HttpRequest;
import org.mirage4j.api.http.HttpResponse;

/**
 * The {@code http_server} driver: HTTP/1.1 (RFC 9110, 9112) over the TCP of any {@link Stack}.
 *
 * <p>The server only uses {@link Stack#tcp()}, {@link TcpListener} and {@link Flow}, so it runs
 * unchanged on the host socket stack and on the direct stack. {@link #connect()} listens on the
 * port; {@link #serve} accepts connections until {@link #close()} and serves each on its own thread,
 * at most {@link Limits#maxConnections()} at a time (beyond that a connection is answered {@code 503}
 * and closed).
 *
 * <p>Per connection: requests are read one after the other (pipelining works), persistent by
 * default for HTTP/1.1 and with {@code Connection: keep-alive} for HTTP/1.0, and at most {@link
 * Limits#maxRequestsPerConnection()} of them, the last answered with {@code Connection: close}.
 * {@code GET} and {@code HEAD} go to the handler (for {@code HEAD} only the length of its body is
 * sent); any other method is answered {@code 405} with {@code Allow: GET, HEAD}. A malformed request
 * gets {@code 400}, a request line over the header limit {@code 414}, a header section over it
 * {@code 431}, a body over {@link Limits#maxBodyBytes()} {@code 413}, a request that stalls {@code
 * 408}, and the connection is then closed. A connection idle for {@link Limits#idleTimeout()}
 * between requests, or a client that goes away mid-request, is closed without a response or an
 * error; so is one that stops reading while a response is being written to it, after {@link
 * Limits#writeTimeout()}. Request paths are percent-decoded; encoded {@code /}, {@code \}, NUL, invalid UTF-8 and
 * {@code .}/{@code ..} segments are refused with {@code 400} before any handler sees them.
 */
public final class StackHttpServer implements HttpServer {

  private static final System.Logger LOG = System.getLogger(StackHttpServer.class.getName());
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;
  private static final Set<String> RESERVED_HEADERS =
      Set.of("content-length", "transfer-encoding", "connection", "date", "keep-alive");

  /**
   * What the server allows a client.
   *
   * @param maxHeaderBytes most bytes of the request line plus header section
   * @param maxHeaderCount most header fields in a request
   * @param maxBodyBytes most bytes of a request body
   * @param maxRequestsPerConnection how many requests one connection may make
   * @param maxConnections how many connections are served at once
   * @param idleTimeout how long a connection may wait for its next request ({@link Duration#ZERO}:
   *     forever)
   * @param requestTimeout how long a request may take to arrive once it has begun ({@link
   *     Duration#ZERO}: no limit beyond the idle timeout per read)
   * @param writeTimeout how long writing one response may block on a client that does not read
   *     before the connection is closed ({@link Duration#ZERO}: forever)
   * @param backlog how many established connections may wait to be accepted
   */
  public record Limits(
      int maxHeaderBytes,
      int maxHeaderCount,
      long maxBodyBytes,
      int maxRequestsPerConnection,
      int maxConnections,
      Duration idleTimeout,
      Duration requestTimeout,
      Duration writeTimeout,
      int backlog) {

    /** Checks the values. */
    public Limits {
      if (maxHeaderBytes < 64 || maxHeaderCount < 1 || maxBodyBytes < 0 || maxBodyBytes > Integer.MAX_VALUE - 16
          || maxRequestsPerConnection < 1 || maxConnections < 1 || backlog < 1) {
        throw new IllegalArgumentException("invalid HTTP server limits: " + this);
      }
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      Objects.requireNonNull(writeTimeout, "writeTimeout");
      if (idleTimeout.isNegative() || requestTimeout.isNegative() || writeTimeout.isNegative()) {
        throw new IllegalArgumentException("negative timeout in HTTP server limits: " + this);
      }
    }

    /**
     * The defaults: 16 KiB of header section in at most 100 fields, 1 MiB of body, 100 requests per
     * connection, 256 connections, 30 s idle, 60 s per request, 60 s per blocked response write,
     * backlog 128.
     */
    public static Limits defaults() {
      return new Limits(
          16 * 1024, 100, 1024 * 1024, 100, 256, Duration.ofSeconds(30), Duration.ofSeconds(60),
          Duration.ofSeconds(60), 128);
    }

    /** These limits with another header-section size limit. */
    public Limits withMaxHeaderBytes(int value) {
      return new Limits(value, maxHeaderCount, maxBodyBytes, maxRequestsPerConnection, maxConnections, idleTimeout, requestTimeout, writeTimeout, backlog);
    }

    /** These limits with another body size limit. */
    public Limits withMaxBodyBytes(long value) {
      return new Limits(maxHeaderBytes, maxHeaderCount, value, maxRequestsPerConnection, maxConnections, idleTimeout, requestTimeout, writeTimeout, backlog);
    }

    /** These limits with another number of requests per connection. */
    public Limits withMaxRequestsPerConnection(int value) {
      return new Limits(maxHeaderBytes, maxHeaderCount, maxBodyBytes, value, maxConnections, idleTimeout, requestTimeout, writeTimeout, backlog);
    }

    /** These limits with another number of concurrent connections. */
    public Limits withMaxConnections(int value) {
      return new Limits(maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxRequestsPerConnection, value, idleTimeout, requestTimeout, writeTimeout, backlog);
    }

    /** These limits with another idle timeout. */
    public Limits withIdleTimeout(Duration value) {
      return new Limits(maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxRequestsPerConnection, maxConnections, value, requestTimeout, writeTimeout, backlog);
    }

    /** These limits with another write timeout. */
    public Limits withWriteTimeout(Duration value) {
      return new Limits(maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxRequestsPerConnection, maxConnections, idleTimeout, requestTimeout, value, backlog);
    }

    /** These limits with another request timeout. */
    public Limits withRequestTimeout(Duration value) {
      return new Limits(maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxRequestsPerConnection, maxConnections, idleTimeout, value, writeTimeout, backlog);
    }
  }

  private final Stack stack;
  private final int port;
  private final Limits limits;
  private final RequestParser parser;
  private final Semaphore slots;
  /** The connections being served, each with when its current write began ({@link #IDLE}: none). */
  private final ConcurrentHashMap<Flow, AtomicLong> flows = new ConcurrentHashMap<>();

  private static final long IDLE = Long.MIN_VALUE;
  private final Set<Thread> workers = ConcurrentHashMap.newKeySet();
  private final AtomicInteger serving = new AtomicInteger();
  private final AtomicLong connectionIds = new AtomicLong();
  private volatile TcpListener listener;
  private volatile boolean closed;

  /**
   * A server on {@code port} of {@code stack}, with the {@linkplain Limits#defaults() default
   * limits}.
   *
   * @param stack the TCP/IP stack to listen on
   * @param port the TCP port; 0 for any free port (see {@link #port()})
   */
  public StackHttpServer(Stack stack, int port) {
    this(stack, port, Limits.defaults());
  }

  /**
   * A server on {@code port} of {@code stack} with the given limits.
   *
   * @param stack the TCP/IP stack to listen on
   * @param port the TCP port; 0 for any free port
   * @param limits what clients are allowed
   */
  public StackHttpServer(Stack stack, int port, Limits limits) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.stack = Objects.requireNonNull(stack, "stack");
    this.port = port;
    this.limits = Objects.requireNonNull(limits, "limits");
    this.parser = new RequestParser(limits);
    this.slots = new Semaphore(limits.maxConnections());
  }

  /**
   * Listens on the port.
   *
   * @throws IOException if the port is in use or cannot be listened on
   */
  @Override
  public void connect() throws IOException {
    if (listener != null) {
      throw new IllegalStateException("already connected");
    }
    listener = stack.tcp().listen(port, limits.backlog());
  }

  @Override
  public int port() {
    TcpListener l = listener;
    if (l == null) {
      throw new IllegalStateException("the HTTP server is not connected");
    }
    return l.port();
  }

  /** Whether a thread is inside {@link #serve}. */
  boolean isServing() {
    return serving.get() > 0;
  }

  /** How many connections are being served right now. */
  int activeConnections() {
    return flows.size();
  }

  /**
   * Accepts connections and serves them with {@code handler} until {@link #close()}; then returns.
   *
   * @throws IllegalStateException if the server is not connected, or already serving
   */
  @Override
  public void serve(HttpHandler handler) throws IOException {
    Objects.requireNonNull(handler, "handler");
    TcpListener l = listener;
    if (l == null) {
      throw new IllegalStateException("the HTTP server is not connected");
    }
    if (serving.getAndIncrement() != 0) {
      serving.decrementAndGet();
      throw new IllegalStateException("the HTTP server is already serving");
    }
    Thread reaper = startReaper(l.port());
    try {
      while (!closed) {
        Flow flow;
        try {
          flow = l.accept();
        } catch (ClosedChannelException e) {
          if (closed) {
            return;
          }
          throw e;
        } catch (IOException e) {
          if (closed) {
            return;
          }
          // E.g. out of file descriptors: keep serving the connections we have.
          LOG.log(Level.WARNING, "accept failed on port " + l.port() + ": " + e);
          pause();
          continue;
        }
        if (closed) {
          closeQuietly(flow);
          return;
        }
        if (!slots.tryAcquire()) {
          refuse(flow);
          continue;
        }
        flows.put(flow, new AtomicLong(IDLE));
        Thread worker =
            new Thread(
                () -> {
                  try {
                    serveConnection(flow, handler);
                  } finally {
                    // Free the slot first: once a connection no longer counts, a new one fits.
                    slots.release();
                    workers.remove(Thread.currentThread());
                    flows.remove(flow);
                  }
                },
                "http-" + l.port() + "-" + connectionIds.incrementAndGet());
        worker.setDaemon(true);
        workers.add(worker);
        try {
          worker.start();
        } catch (OutOfMemoryError | RuntimeException e) {
          workers.remove(worker);
          flows.remove(flow);
          slots.release();
          refuse(flow);
        }
      }
    } finally {
      if (reaper != null) {
        reaper.interrupt();
      }
      serving.decrementAndGet();
    }
  }

  /**
   * Starts the thread that closes connections whose response write has been blocked longer than
   * {@link Limits#writeTimeout()} (a client that stopped reading), since a {@link Flow} has no write
   * timeout of its own; closing the flow unblocks the writer.
   */
  private Thread startReaper(int listenPort) {
    Duration timeout = limits.writeTimeout();
    if (timeout.isZero()) {
      return null;
    }
    long limitNanos = timeout.toNanos();
    long periodMillis = Math.max(10, Math.min(1000, timeout.toMillis() / 4));
    Thread reaper =
        new Thread(
            () -> {
              while (!closed) {
                try {
                  Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                  return;
                }
                long now = System.nanoTime();
                flows.forEach(
                    (flow, since) -> {
                      long started = since.get();
                      if (started != IDLE && now - started > limitNanos) {
                        LOG.log(Level.DEBUG, () -> "closing a connection that does not read its response");
                        closeQuietly(flow);
                      }
                    });
              }
            },
            "http-" + listenPort + "-write-timeouts");
    reaper.setDaemon(true);
    reaper.start();
    return reaper;
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void refuse(Flow flow) {
    try {
      write(flow, errorResponse(503, "too many connections"), false, false, false);
    } catch (IOException e) {
      // the client is gone already
    } finally {
      closeQuietly(flow);
    }
  }

  private void serveConnection(Flow flow, HttpHandler handler) {
    try {
      FlowInput in = new FlowInput(flow, limits.idleTimeout(), Math.max(8192, limits.maxHeaderBytes() + 1024));
      int served = 0;
      while (!closed) {
        in.beginRequest(limits.requestTimeout());
        RequestParser.Parsed parsed;
        try {
          parsed = parser.read(in, flow);
        } catch (HttpError e) {
          LOG.log(Level.DEBUG, () -> "refused request from " + flow.remoteAddress() + ": " + e.getMessage());
          write(flow, errorResponse(e.status(), e.getMessage()), false, false, false);
          lingeringClose(flow);
          return;
        } catch (SocketTimeoutException e) {
          if (in.requestStarted()) {
            write(flow, errorResponse(408, "request not received in time"), false, false, false);
          }
          return;
        }
        if (parsed == null) {
          return; // the client closed the connection between requests
        }
        served++;
        HttpRequest request = parsed.request();
        boolean keepAlive = parsed.keepAlive() && served < limits.maxRequestsPerConnection() && !closed;
        boolean head = request.method().equals("HEAD");
        HttpResponse response;
        if (!head && !request.method().equals("GET")) {
          response =
              new HttpResponse(
                  405,
                  Map.of("Allow", "GET, HEAD", "Content-Type", "text/plain; charset=utf-8"),
                  ("405 Method Not Allowed: " + request.method() + "\n").getBytes(StandardCharsets.UTF_8));
        } else {
          try {
            response = handler.handle(request);
            if (response == null) {
              throw new IllegalStateException("the handler returned no response");
            }
            if (response.status() < 200 || response.status() > 599) {
              throw new IllegalStateException("the handler returned status " + response.status());
            }
          } catch (Exception e) {
            LOG.log(Level.WARNING, "handler failed on " + request.method() + " " + request.path(), e);
            response = errorResponse(500, "internal server error");
            keepAlive = false;
          }
        }
        write(flow, response, head, keepAlive, parsed.minorVersion() == 0);
        if (!keepAlive) {
          lingeringClose(flow);
          return;
        }
      }
    } catch (EOFException e) {
      LOG.log(Level.DEBUG, () -> "client went away mid-request: " + e.getMessage());
    } catch (IOException e) {
      // Reset, broken pipe, server closing: nothing to answer to.
      LOG.log(Level.DEBUG, () -> "connection ended: " + e);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "unexpected failure serving a connection", e);
    } finally {
      closeQuietly(flow);
    }
  }

  private static HttpResponse errorResponse(int status, String message) {
    return HttpResponse.text(status, status + " " + Status.reason(status) + ": " + message + "\n");
  }

  /** Writes {@code response} in one go: status line, headers, and (unless HEAD or bodyless) body. */
  private void write(
      Flow flow, HttpResponse response, boolean head, boolean keepAlive, boolean http10)
      throws IOException {
    AtomicLong since = flows.get(flow);
    if (since != null) {
      since.set(System.nanoTime());
    }
    try {
      writeResponse(flow, response, head, keepAlive, http10);
    } finally {
      if (since != null) {
        since.set(IDLE);
      }
    }
  }

  private static void writeResponse(
      Flow flow, HttpResponse response, boolean head, boolean keepAlive, boolean http10)
      throws IOException {
    int status = response.status();
    byte[] body = response.body() == null ? new byte[0] : response.body();
    StringBuilder h = new StringBuilder(256);
    h.append("HTTP/1.1 ").append(status).append(' ').append(Status.reason(status)).append("\r\n");
    h.append("Date: ").append(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
    boolean hasServer = false;
    for (Map.Entry<String, String> header : response.headers().entrySet()) {
      String name = header.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      if (RESERVED_HEADERS.contains(lower)) {
        continue;
      }
      hasServer |= lower.equals("server");
      appendHeader(h, name, header.getValue());
    }
    if (!hasServer) {
      h.append("Server: mirage4j\r\n");
    }
    boolean bodyless = Status.bodyless(status);
    if (!bodyless) {
      h.append("Content-Length: ").append(body.length).append("\r\n");
    }
    if (!keepAlive) {
      h.append("Connection: close\r\n");
    } else if (http10) {
      h.append("Connection: keep-alive\r\n");
    }
    h.append("\r\n");
    byte[] headBytes = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    boolean sendBody = !head && !bodyless && body.length > 0;
    if (sendBody && body.length <= 64 * 1024) {
      ByteBuffer all = ByteBuffer.allocate(headBytes.length + body.length);
      all.put(headBytes).put(body).flip();
      flow.write(all);
    } else {
      flow.write(ByteBuffer.wrap(headBytes));
      if (sendBody) {
        flow.write(ByteBuffer.wrap(body));
      }
    }
  }

  private static void appendHeader(StringBuilder h, String name, String value) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == ':') {
        throw new IllegalStateException("invalid response header name: " + name);
      }
    }
    String v = value == null ? "" : value;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\r' || c == '\n' || c == 0 || c > 0xff) {
        throw new IllegalStateException("invalid character in response header " + name);
      }
    }
    h.append(name).append(": ").append(v).append("\r\n");
  }

  /**
   * Closes after an error without losing the response: stop sending, read (and drop) what the
   * client still sends for a short while, then close. Closing with unread input would reset the
   * connection and could destroy the response before the client reads it.
   */
  private static void lingeringClose(Flow flow) {
    try {
      flow.shutdownOutput();
      flow.readTimeout(Duration.ofMillis(500));
      ByteBuffer sink = ByteBuffer.allocate(8192);
      long drained = 0;
      while (drained < 256 * 1024) {
        sink.clear();
        int n = flow.read(sink);
        if (n < 0) {
          break;
        }
        drained += n;
      }
    } catch (IOException e) {
      // timeout, reset: either way we are done
    } finally {
      closeQuietly(flow);
    }
  }

  private static void closeQuietly(Flow flow) {
    try {
      flow.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  /**
   * Stops listening, closes every connection (unblocking their threads) and waits briefly for the
   * connection threads to finish. {@link #serve} then returns.
   */
  @Override
  public void close() throws IOException {
    closed = true;
    TcpListener l = listener;
    if (l != null) {
      l.close();
    }
    for (Flow flow : new ArrayList<>(flows.keySet())) {
      closeQuietly(flow);
    }
    List<Thread> running = new ArrayList<>(workers);
    for (Thread t : running) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "StackHttpServer(" + port + ")";
  }
}
