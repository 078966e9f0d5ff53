package org.mirage4j.drivers.http;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.mirage4j.api.Flow;
import org.mirage4j.api.HttpServer;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.KvRo;
import org.mirage4j.api.SelectableFlow;
import org.mirage4j.api.SelectableTcpListener;
import org.mirage4j.api.Stack;
import org.mirage4j.api.TcpListener;
import org.mirage4j.api.http.HttpHandler;
import org.mirage4j.drivers.tls.TlsContexts;
import org.mirage4j.drivers.tls.TlsFlow;
import org.mirage4j.runtime.UsageException;

/**
 * The {@code http_server} driver: HTTP/1.1 (RFC 9110, 9112) over the TCP of any {@link Stack}.
 *
 * <p>The server only uses {@link Stack#tcp()}, {@link TcpListener} and {@link Flow}, so it runs
 * unchanged on the host socket stack and on the direct stack; as {@code https_server} ({@link
 * #configuredTls}, {@link #https}) each connection is a {@link TlsFlow}: TLS 1.3 or 1.2 with the
 * JDK's {@code SSLEngine}, ALPN {@code http/1.1}, and a plain-text request to it is answered
 * {@code 400} in plain text. {@link #connect()} listens on the configured address and port; {@link #serve}
 * serves each connection on a thread of its own (threads are reused) until {@link #close()}.
 *
 * <p>Requests: every method reaches the handler; bodies (by {@code Content-Length} or chunked)
 * are streams bounded by {@link Limits#maxBodyBytes()}, with {@code 100 Continue} sent when the
 * handler first reads; responses of unknown length are sent chunked. Connections are persistent
 * (HTTP/1.1 by default, HTTP/1.0 with {@code Connection: keep-alive}), pipelining works, and at
 * most {@link Limits#maxRequestsPerConnection()} requests are served on one. A malformed request
 * gets {@code 400}, a request line over the header limit {@code 414}, a header section over it
 * {@code 431}, a body over the limit {@code 413}, an unknown {@code Expect} {@code 417}, and the
 * connection is then closed. Request paths are percent-decoded; encoded {@code /}, {@code \},
 * NUL, invalid UTF-8 and {@code .}/{@code ..} segments are refused with {@code 400} before any
 * handler sees them.
 *
 * <p>Slow and greedy clients are bounded without locking others out:
 *
 * <ul>
 *   <li>a request's head must arrive within {@link Limits#headerTimeout()} ({@code 408} once any of
 *       it has arrived, else the connection is closed silently);
 *   <li>a body or a response that makes no progress for {@link Limits#stallTimeout()}, or moves
 *       fewer than {@link Limits#minDataRate()} bytes per second over such a period, ends the
 *       connection ({@code 408} for a body);
 *   <li>an idle persistent connection is closed after {@link Limits#idleTimeout()};
 *   <li>when {@link Limits#maxConnections()} are open, or a client address already has {@link
 *       Limits#maxConnectionsPerClient()}, a new connection first takes the place of an idle one
 *       (the longest waiting, of that client if it is the client's cap), then of one still sending
 *       its head (the oldest); only if every connection is busy is it answered {@code 503}.
 * </ul>
 *
 * <p>{@link #stop()} (SIGTERM: the lifecycle stops every device before it closes any) stops
 * listening, closes idle connections, lets the requests in flight finish (their responses carry
 * {@code Connection: close}) for up to {@link Limits#drainTimeout()}, then closes the rest.
 */
public final class StackHttpServer implements HttpServer {

  private static final System.Logger LOG = System.getLogger("http");
  private static final List<String> HTTP_1_1 = List.of("http/1.1");

  /**
   * What the server allows a client.
   *
   * @param maxHeaderBytes most bytes of the request line plus header section
   * @param maxHeaderCount most header fields in a request
   * @param maxBodyBytes most bytes of a request body
   * @param maxRequestsPerConnection how many requests one connection may make
   * @param maxConnections how many connections are open at once
   * @param maxConnectionsPerClient how many of them one client address may hold
   * @param headerTimeout how long a request's head may take to arrive, from the connection's start
   *     or the request's first byte ({@link Duration#ZERO}: no limit)
   * @param idleTimeout how long a persistent connection may wait for its next request ({@link
   *     Duration#ZERO}: forever)
   * @param stallTimeout how long a request body or a response may make no progress, and the period
   *     over which {@code minDataRate} is measured ({@link Duration#ZERO}: no limit)
   * @param minDataRate the fewest bytes per second a body or response must move (0: no minimum)
   * @param drainTimeout how long {@link #close()} lets requests in flight finish
   * @param backlog how many established connections may wait to be accepted
   */
  public record Limits(
      int maxHeaderBytes,
      int maxHeaderCount,
      long maxBodyBytes,
      int maxRequestsPerConnection,
      int maxConnections,
      int maxConnectionsPerClient,
      Duration headerTimeout,
      Duration idleTimeout,
      Duration stallTimeout,
      long minDataRate,
      Duration drainTimeout,
      int backlog) {

    /** Checks the values. */
    public Limits {
      Objects.requireNonNull(headerTimeout, "headerTimeout");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      Objects.requireNonNull(stallTimeout, "stallTimeout");
      Objects.requireNonNull(drainTimeout, "drainTimeout");
      String problem = problem(maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxRequestsPerConnection,
          maxConnections, maxConnectionsPerClient, headerTimeout, idleTimeout, stallTimeout, minDataRate,
          drainTimeout, backlog);
      if (problem != null) {
        throw new IllegalArgumentException("invalid HTTP server limits: " + problem);
      }
    }

    private static String problem(
        long maxHeaderBytes, long maxHeaderCount, long maxBodyBytes, long maxRequestsPerConnection,
        long maxConnections, long maxConnectionsPerClient, Duration headerTimeout, Duration idleTimeout,
        Duration stallTimeout, long minDataRate, Duration drainTimeout, long backlog) {
      if (maxHeaderBytes < 64) {
        return "the header limit must be at least 64 bytes, got " + maxHeaderBytes;
      }
      if (maxHeaderCount < 1) {
        return "the header count limit must be at least 1, got " + maxHeaderCount;
      }
      if (maxBodyBytes < 0) {
        return "--http-max-body must be at least 0, got " + maxBodyBytes;
      }
      if (maxRequestsPerConnection < 1) {
        return "the requests per connection must be at least 1, got " + maxRequestsPerConnection;
      }
      if (maxConnections < 1 || maxConnections > 1_000_000) {
        return "--http-max-connections must be from 1 to 1000000, got " + maxConnections;
      }
      if (maxConnectionsPerClient < 1) {
        return "--http-max-client-connections must be at least 1, got " + maxConnectionsPerClient;
      }
      if (minDataRate < 0) {
        return "--http-min-rate must be at least 0, got " + minDataRate;
      }
      if (backlog < 1) {
        return "the backlog must be at least 1, got " + backlog;
      }
      for (Duration d : List.of(headerTimeout, idleTimeout, stallTimeout, drainTimeout)) {
        if (d.isNegative()) {
          return "negative timeout " + d;
        }
      }
      return null;
    }

    /**
     * The defaults: 16 KiB of header section in at most 100 fields, 1 MiB of body, 1,000 requests
     * per connection, 1,024 connections of which 512 per client address, 10 s for a head, 30 s
     * idle, 20 s of stall and at least 1 KiB/s for a body or a response, 10 s of drain, backlog
     * 511.
     */
    public static Limits defaults() {
      return new Limits(
          16 * 1024, 100, 1024 * 1024, 1000, 1024, 512, Duration.ofSeconds(10), Duration.ofSeconds(30),
          Duration.ofSeconds(20), 1024, Duration.ofSeconds(10), 511);
    }

    /** These limits with another header-section size limit. */
    public Limits withMaxHeaderBytes(int value) {
      return new Limits(value, maxHeaderCount, maxBodyBytes, maxRequestsPerConnection, maxConnections,
          maxConnectionsPerClient, headerTimeout, idleTimeout, stallTimeout, minDataRate, drainTimeout, backlog);
    }

    /** These limits with another body size limit. */
    public Limits withMaxBodyBytes(long value) {
      return new Limits(maxHeaderBytes, maxHeaderCount, value, maxRequestsPerConnection, maxConnections,
          maxConnectionsPerClient, headerTimeout, idleTimeout, stallTimeout, minDataRate, drainTimeout, backlog);
    }

    /** These limits with another number of requests per connection. */
    public Limits withMaxRequestsPerConnection(int value) {
      return new Limits(maxHeaderBytes, maxHeaderCount, maxBodyBytes, value, maxConnections,
          maxConnectionsPerClient, headerTimeout, idleTimeout, stallTimeout, minDataRate, drainTimeout, backlog);
    }

    /** These limits with another number of connections, and per client. */
    public Limits withMaxConnections(int total, int perClient) {
      return new Limits(maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxRequestsPerConnection, total,
          perClient, headerTimeout, idleTimeout, stallTimeout, minDataRate, drainTimeout, backlog);
    }

    /** These limits with another head timeout. */
    public Limits withHeaderTimeout(Duration value) {
      return new Limits(maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxRequestsPerConnection, maxConnections,
          maxConnectionsPerClient, value, idleTimeout, stallTimeout, minDataRate, drainTimeout, backlog);
    }

    /** These limits with another idle timeout. */
    public Limits withIdleTimeout(Duration value) {
      return new Limits(maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxRequestsPerConnection, maxConnections,
          maxConnectionsPerClient, headerTimeout, value, stallTimeout, minDataRate, drainTimeout, backlog);
    }

    /** These limits with another stall timeout and minimum rate. */
    public Limits withStall(Duration timeout, long minRate) {
      return new Limits(maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxRequestsPerConnection, maxConnections,
          maxConnectionsPerClient, headerTimeout, idleTimeout, timeout, minRate, drainTimeout, backlog);
    }

    /** These limits with another drain timeout. */
    public Limits withDrainTimeout(Duration value) {
      return new Limits(maxHeaderBytes, maxHeaderCount, maxBodyBytes, maxRequestsPerConnection, maxConnections,
          maxConnectionsPerClient, headerTimeout, idleTimeout, stallTimeout, minDataRate, value, backlog);
    }
  }

  private final Stack stack;
  private final InetAddress address;
  private final int port;
  private final Limits limits;
  private final RequestParser parser;
  private final KvRo certificates; // for HTTPS: server.pem and server.key, read at connect
  private volatile SSLContext tls;
  private final String scheme;

  private final Object admission = new Object();
  // guarded by admission
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final Map<InetAddress, Integer> perClient = new HashMap<>();

  private final AtomicInteger serving = new AtomicInteger();
  private final AtomicInteger accepting = new AtomicInteger(); // threads in (or about to be in) accept
  private static final int SPARE_ACCEPTORS = 2;
  /** How long a new connection that has sent nothing is safe from being closed to make room. */
  private static final long FRESH_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private final AtomicLong threadIds = new AtomicLong();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch returned = new CountDownLatch(1); // serve() has returned
  private final Object stopping = new Object();
  private boolean stoppedAll; // guarded by stopping
  private volatile ThreadPoolExecutor pool;
  private volatile TcpListener listener;
  private volatile List<EventLoop> loops = List.of();
  private volatile HttpHandler handler;
  private volatile boolean closed;

  /**
   * A server on {@code port} of every address of {@code stack}, with the {@linkplain
   * Limits#defaults() default limits}.
   *
   * @param stack the TCP/IP stack to listen on
   * @param port the TCP port; 0 for any free port (see {@link #port()})
   */
  public StackHttpServer(Stack stack, int port) {
    this(stack, null, port, Limits.defaults());
  }

  /** A server on {@code port} of every address of {@code stack} with the given limits. */
  public StackHttpServer(Stack stack, int port, Limits limits) {
    this(stack, null, port, limits);
  }

  /**
   * A server on {@code port} of {@code address} of {@code stack} with the given limits.
   *
   * @param stack the TCP/IP stack to listen on
   * @param address the local address to listen on; {@code null} or the wildcard for every address
   *     of the stack
   * @param port the TCP port; 0 for any free port
   * @param limits what clients are allowed
   */
  public StackHttpServer(Stack stack, InetAddress address, int port, Limits limits) {
    this(stack, address, port, limits, null, null);
  }

  private StackHttpServer(
      Stack stack, InetAddress address, int port, Limits limits, KvRo certificates, SSLContext tls) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.stack = Objects.requireNonNull(stack, "stack");
    this.address = address;
    this.port = port;
    this.limits = Objects.requireNonNull(limits, "limits");
    this.parser = new RequestParser(limits);
    this.certificates = certificates;
    this.tls = tls;
    this.scheme = certificates != null || tls != null ? "https" : "http";
  }

  /**
   * An HTTPS server: HTTP/1.1 over TLS 1.3 or 1.2 (ALPN {@code http/1.1}) with the credentials of
   * {@code tls} (see {@link TlsContexts}).
   */
  public static StackHttpServer https(Stack stack, InetAddress address, int port, Limits limits, SSLContext tls) {
    return new StackHttpServer(stack, address, port, limits, null, Objects.requireNonNull(tls, "tls"));
  }

  /**
   * The {@code https_server} driver as {@code std.mirage} declares it: {@code server.pem} (the
   * certificate chain) and {@code server.key} (its private key), both PEM, are read from {@code
   * certs} when the server connects.
   *
   * @throws UsageException if a limit is out of range (the unikernel exits with status 64)
   */
  public static StackHttpServer configuredTls(
      Stack stack, int port, KvRo certs, Ipv4Address address, Duration headerTimeout, Duration idleTimeout,
      Duration stallTimeout, long minRate, long maxConnections, long maxClientConnections, long maxBody)
      throws UsageException {
    return new StackHttpServer(stack, address.equals(Ipv4Address.ANY) ? null : address.toInetAddress(), port,
        limitsFromKeys(headerTimeout, idleTimeout, stallTimeout, minRate, maxConnections, maxClientConnections, maxBody),
        Objects.requireNonNull(certs, "certs"), null);
  }

  /**
   * The {@code http_server} driver as {@code std.mirage} declares it: the limits from runtime keys.
   *
   * @throws UsageException if a limit is out of range (the unikernel exits with status 64)
   */
  public static StackHttpServer configured(
      Stack stack, int port, Ipv4Address address, Duration headerTimeout, Duration idleTimeout,
      Duration stallTimeout, long minRate, long maxConnections, long maxClientConnections, long maxBody)
      throws UsageException {
    return new StackHttpServer(stack, address.equals(Ipv4Address.ANY) ? null : address.toInetAddress(), port,
        limitsFromKeys(headerTimeout, idleTimeout, stallTimeout, minRate, maxConnections, maxClientConnections, maxBody));
  }

  /** The default limits with the values of the {@code http_*} keys, checked as a user gives them. */
  static Limits limitsFromKeys(
      Duration headerTimeout, Duration idleTimeout, Duration stallTimeout, long minRate,
      long maxConnections, long maxClientConnections, long maxBody) throws UsageException {
    Limits d = Limits.defaults();
    String problem = Limits.problem(d.maxHeaderBytes(), d.maxHeaderCount(), maxBody, d.maxRequestsPerConnection(),
        maxConnections, maxClientConnections, headerTimeout, idleTimeout, stallTimeout, minRate,
        d.drainTimeout(), d.backlog());
    if (problem != null || maxBody > Integer.MAX_VALUE || maxClientConnections > Integer.MAX_VALUE) {
      throw new UsageException(problem != null ? problem : "a limit is too large");
    }
    return new Limits(d.maxHeaderBytes(), d.maxHeaderCount(), maxBody, d.maxRequestsPerConnection(),
        (int) maxConnections, (int) maxClientConnections, headerTimeout, idleTimeout, stallTimeout, minRate,
        d.drainTimeout(), d.backlog());
  }

  Limits limits() {
    return limits;
  }

  RequestParser parser() {
    return parser;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Reads the TLS credentials (HTTPS), then listens on the address and port.
   *
   * @throws IOException if the credentials are missing or unusable (the message names the file and
   *     why), the port is in use, or the address is not one of the stack's
   */
  @Override
  public void connect() throws IOException {
    if (listener != null) {
      throw new IllegalStateException("already connected");
    }
    if (certificates != null) {
      tls = TlsContexts.server(certificates);
    }
    try {
      listener = stack.tcp().listen(address, port, limits.backlog());
    } catch (IOException e) {
      String where = (address == null ? "*" : address.getHostAddress()) + ":" + port;
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IOException("cannot listen on " + where + ": " + message, e);
    }
    int bound = listener.port();
    LOG.log(Level.INFO, () -> "listening on " + (address == null ? "*" : address.getHostAddress()) + ":"
        + bound + (tls == null ? " (http)" : " (https)"));
  }

  @Override
  public int port() {
    TcpListener l = listener;
    if (l == null) {
      throw new IllegalStateException("the HTTP server is not connected");
    }
    return l.port();
  }

  /** The URL of the server's root, for messages: {@code http://127.0.0.1:8080/}. */
  public String url() {
    String host = address == null ? "localhost" : address.getHostAddress();
    return scheme + "://" + host + ":" + port() + "/";
  }

  /** Whether a thread is inside {@link #serve}. */
  boolean isServing() {
    return serving.get() > 0;
  }

  /** How many connections are open right now. */
  int activeConnections() {
    return open.size();
  }

  /**
   * Accepts connections and serves them with {@code handler} until {@link #close()}; then returns,
   * after the requests in flight have been answered.
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
    this.handler = handler;
    int listenPort = l.port();
    ThreadPoolExecutor threads =
        new ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "http-" + listenPort + "-" + threadIds.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool = threads;
    Thread watchdog = startWatchdog(listenPort);
    Thread monitor = null;
    try {
      if (!closed) {
        if (l instanceof SelectableTcpListener s && useEventLoops()) {
          monitor = startLoops(s, threads);
        } else {
          threads.execute(this::accept);
        }
      }
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (watchdog != null) {
        watchdog.interrupt();
      }
      if (monitor != null) {
        monitor.interrupt();
      }
      serving.decrementAndGet();
      returned.countDown();
    }
  }

  /**
   * Whether to serve with event loops when the stack's listener is selectable: yes unless the
   * system property {@code mirage4j.http.engine} is {@code threads} (a thread per connection, as
   * on the direct stack).
   */
  private static boolean useEventLoops() {
    return !"threads".equals(System.getProperty(ENGINE_PROPERTY, "loops"));
  }

  /** The system property that chooses the engine on a selectable stack: {@code loops} or {@code threads}. */
  static final String ENGINE_PROPERTY = "mirage4j.http.engine";

  /** How many event loops: one per processor, unless {@code mirage4j.http.loops} says otherwise. */
  private static int loopCount() {
    int n = Runtime.getRuntime().availableProcessors();
    try {
      n = Integer.parseInt(System.getProperty("mirage4j.http.loops", String.valueOf(n)));
    } catch (NumberFormatException e) {
      // the default
    }
    return Math.max(1, Math.min(256, n));
  }

  HttpHandler handler() {
    return handler;
  }

  /**
   * Starts the event loops on the pool and the monitor that moves a loop to a fresh thread when its
   * thread is held by one connection (see {@link EventLoop}).
   */
  private Thread startLoops(SelectableTcpListener l, ThreadPoolExecutor threads) throws IOException {
    l.configureNonBlocking();
    List<EventLoop> all = new ArrayList<>();
    try {
      for (int i = 0; i < loopCount(); i++) {
        all.add(new EventLoop(this, l, i));
      }
    } catch (IOException | RuntimeException e) {
      all.forEach(EventLoop::close);
      throw e;
    }
    loops = List.copyOf(all);
    for (EventLoop loop : all) {
      Object token = loop.newOwner();
      threads.execute(() -> loop.run(token));
    }
    Thread monitor =
        new Thread(
            () -> {
              long period = Math.max(1, EventLoop.HANDOFF_NANOS / 2_000_000L);
              while (!closed) {
                try {
                  Thread.sleep(period);
                } catch (InterruptedException e) {
                  return;
                }
                long now = System.nanoTime();
                for (EventLoop loop : all) {
                  if (loop.stuck(now) && !closed) {
                    Object token = loop.newOwner();
                    try {
                      threads.execute(() -> loop.run(token));
                    } catch (RejectedExecutionException | OutOfMemoryError e) {
                      return; // closing, or no thread to be had: the old thread keeps the loop
                    }
                  }
                }
              }
            },
            "http-" + l.port() + "-loops");
    monitor.setDaemon(true);
    monitor.start();
    return monitor;
  }

  /**
   * A connection an event loop accepted: admitted and returned for the loop to serve, or (HTTPS)
   * served on a thread of its own, or refused; null when the loop has nothing to do with it.
   */
  Connection admitFromLoop(SelectableFlow flow, long acceptedAt) {
    if (tls != null) {
      try {
        pool.execute(() -> serveAccepted(flow, acceptedAt));
      } catch (RejectedExecutionException | OutOfMemoryError e) {
        Connection.closeQuietly(flow);
      }
      return null;
    }
    Connection connection;
    try {
      connection = new Connection(this, flow, flow, acceptedAt);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not set up a connection: " + e);
      Connection.closeQuietly(flow);
      return null;
    }
    if (!admit(connection)) {
      refuse(flow);
      return null;
    }
    return connection;
  }

  /** An event-engine connection has closed. */
  void released(Connection c) {
    release(c);
  }

  /**
   * Accepts on this thread: each connection is served on the thread that accepted it, while another
   * thread takes over the accepting if none is left; after the connection, the thread accepts again
   * unless enough others do. So accepting never waits for a connection to be served, and when
   * connections come one after another (a new connection per request) one thread takes and serves
   * them all, without handing anything to another thread.
   */
  private void accept() {
    TcpListener l = listener;
    while (!closed) {
      Flow flow;
      accepting.incrementAndGet();
      try {
        flow = l.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (closed) {
          return;
        }
        // e.g. out of file descriptors: keep serving the connections we have
        LOG.log(Level.WARNING, "accept failed on port " + l.port() + ": " + e);
        pause();
        continue;
      } finally {
        accepting.decrementAndGet();
      }
      long now = System.nanoTime();
      if (closed) {
        Connection.closeQuietly(flow);
        return;
      }
      if (accepting.get() == 0) {
        try {
          pool.execute(this::accept);
        } catch (RejectedExecutionException | OutOfMemoryError e) {
          // closing, or no thread to be had: drop this connection and accept on this thread again
          Connection.closeQuietly(flow);
          pause();
          continue;
        }
      }
      serveAccepted(flow, now);
      if (accepting.get() >= SPARE_ACCEPTORS) {
        return; // enough threads accept: this one waits in the pool
      }
    }
  }

  private void serveAccepted(Flow flow, long acceptedAt) {
    Connection connection;
    try {
      connection = new Connection(this, flow, tls == null ? flow : TlsFlow.server(flow, tls, HTTP_1_1), acceptedAt);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not set up a connection: " + e);
      Connection.closeQuietly(flow);
      return;
    }
    if (!admit(connection)) {
      refuse(flow);
      return;
    }
    try {
      connection.serve(handler);
    } finally {
      release(connection);
    }
  }

  /**
   * Counts a new connection in, making room by closing an idle connection (or one still sending its
   * head) when the server or the client is at its cap.
   *
   * @return false if there is no room
   */
  private boolean admit(Connection c) {
    synchronized (admission) {
      int mine = c.client == null ? 0 : perClient.getOrDefault(c.client, 0);
      Connection victim = null;
      if (mine >= limits.maxConnectionsPerClient()) {
        victim = victim(c.client);
        if (victim == null) {
          return false;
        }
      } else if (open.size() >= limits.maxConnections()) {
        victim = victim(null);
        if (victim == null) {
          return false;
        }
      }
      if (victim != null) {
        forget(victim);
        Connection v = victim;
        LOG.log(Level.DEBUG, () -> "closing " + v + " to make room for a connection from " + c.client);
        victim.evict();
      }
      open.add(c);
      if (c.client != null) {
        perClient.merge(c.client, 1, Integer::sum);
      }
      return true;
    }
  }

  /** The connection to close for room: idle the longest, else the oldest still sending a head. */
  private Connection victim(InetAddress of) {
    long now = System.nanoTime();
    Connection idle = null;
    Connection slow = null;
    for (Connection c : open) {
      if (of != null && !of.equals(c.client)) {
        continue;
      }
      int phase = c.phase();
      if (c.idle()) {
        // persistent, between requests (answered first: idle the longest)
        if (idle == null || c.idleSince() - idle.idleSince() < 0) {
          idle = c;
        }
      } else if (phase == Connection.HEAD
          || (phase == Connection.WAITING && now - c.accepted > FRESH_GRACE_NANOS)) {
        // sending its head, or connected a while ago and silent since; a connection just accepted
        // whose request is on its way (or not read yet) is left alone
        if (slow == null || c.phaseSince() - slow.phaseSince() < 0) {
          slow = c;
        }
      }
    }
    return idle != null ? idle : slow;
  }

  // with admission held
  private void forget(Connection c) {
    if (open.remove(c) && c.client != null) {
      perClient.computeIfPresent(c.client, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  private void release(Connection c) {
    synchronized (admission) {
      forget(c);
      if (closed && open.isEmpty()) {
        admission.notifyAll();
      }
    }
  }

  private void refuse(Flow flow) {
    if (!scheme.equals("http")) {
      Connection.closeQuietly(flow); // a 503 would cost a TLS handshake: just close
      return;
    }
    try {
      ResponseWriter out = new ResponseWriter(flow, limits);
      out.write(
          Connection.errorResponse(503, "too many connections").withHeader("Retry-After", "1"), false, false, false);
    } catch (IOException | RuntimeException e) {
      // the client is gone already
    } finally {
      Connection.closeQuietly(flow);
    }
  }

  /**
   * Starts the thread that closes connections that have waited for a request longer than allowed
   * (the head timeout for the first, the idle timeout between requests: the wait itself is an untimed
   * read, the cheapest on the socket stack), and those whose response write has been blocked longer
   * than {@link Limits#stallTimeout()} (a client that stopped reading), since a {@link Flow} has no
   * write timeout of its own; closing the flow unblocks the reader or writer.
   */
  private Thread startWatchdog(int listenPort) {
    long stall = limits.stallTimeout().toNanos();
    long shortest = Long.MAX_VALUE;
    for (Duration d : List.of(limits.stallTimeout(), limits.headerTimeout(), limits.idleTimeout())) {
      if (!d.isZero()) {
        shortest = Math.min(shortest, d.toMillis());
      }
    }
    if (shortest == Long.MAX_VALUE) {
      return null;
    }
    long periodMillis = Math.max(10, Math.min(250, shortest / 4));
    Thread watchdog =
        new Thread(
            () -> {
              while (!closed) {
                try {
                  Thread.sleep(periodMillis);
                } catch (InterruptedException e) {
                  return;
                }
                long now = System.nanoTime();
                for (Connection c : open) {
                  if (c.waitedTooLong(now)) {
                    LOG.log(Level.DEBUG, () -> "closing " + c + ": no request in time");
                    c.abort();
                  } else if (stall > 0 && c.writeBlockedFor(now) > stall) {
                    LOG.log(Level.DEBUG, () -> "closing " + c + ": it does not read its response");
                    c.abort();
                  }
                }
              }
            },
            "http-" + listenPort + "-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    return watchdog;
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops listening, closes idle connections, lets the requests in flight finish (their responses
   * say {@code Connection: close}) for up to {@link Limits#drainTimeout()}, and closes what is left.
   * {@link #serve} then returns. The lifecycle calls it before closing any device, so that the
   * responses being sent can still read from the devices they use. Idempotent.
   */
  @Override
  public void stop() {
    synchronized (stopping) {
      if (stoppedAll) {
        return;
      }
      closed = true;
      TcpListener l = listener;
      if (l != null) {
        try {
          l.close();
        } catch (IOException e) {
          // stopping anyway
        }
      }
      long deadline = System.nanoTime() + limits.drainTimeout().toNanos();
      synchronized (admission) {
        while (!open.isEmpty()) {
          for (Connection c : new ArrayList<>(open)) {
            if (c.phase() == Connection.WAITING) {
              c.abort(); // nothing in flight
            }
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          try {
            admission.wait(Math.max(1, Math.min(50, left / 1_000_000)));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
        for (Connection c : new ArrayList<>(open)) {
          c.abort();
        }
      }
      stoppedAll = true;
      for (EventLoop loop : loops) {
        loop.wakeup();
      }
      stopped.countDown();
    }
  }

  /** {@link #stop()}s if not yet, and waits briefly for the connection threads. Safe without connect. */
  @Override
  public void close() throws IOException {
    stop();
    ThreadPoolExecutor threads = pool;
    if (threads != null) {
      threads.shutdown();
      try {
        threads.awaitTermination(2, TimeUnit.SECONDS);
        returned.await(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "StackHttpServer(" + (address == null ? "*" : address.getHostAddress()) + ":" + port + ")";
  }
}
