package org.mirage4j.drivers.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.mirage4j.api.DnsClient;
import org.mirage4j.api.Flow;
import org.mirage4j.api.HttpClient;
import org.mirage4j.api.Stack;
import org.mirage4j.drivers.tls.TlsContexts;
import org.mirage4j.drivers.tls.TlsFlow;
import org.mirage4j.runtime.UsageException;

/**
 * The {@code http_client} driver: HTTP/1.1 over the TCP of any {@link Stack}, names resolved by a
 * {@link DnsClient}, {@code https} through the JDK's TLS ({@link TlsFlow}, the JDK's trusted
 * certificates unless given others), ALPN {@code http/1.1}.
 *
 * <p>Connections are kept per scheme, host and port and reused (a few idle ones per host, each for
 * a short while); a reused connection that the server had closed is replaced once, for the
 * idempotent methods. Redirects ({@code 301}, {@code 302}, {@code 303}: then {@code GET}; {@code
 * 307}, {@code 308}: the same request) are followed up to a limit, without the {@code
 * Authorization} and {@code Cookie} headers when they lead to another host. The whole exchange,
 * redirects included, must finish within the timeout, and a response body may not exceed the body
 * limit; responses are read by {@code Content-Length}, chunked coding or to the end of the
 * connection.
 */
public final class StackHttpClient implements HttpClient {

  /**
   * What the client allows itself.
   *
   * @param timeout the whole exchange, redirects included
   * @param maxBodyBytes the largest response body
   * @param maxRedirects how many redirects are followed
   * @param maxHeaderBytes the largest status line and header section of a response
   * @param maxIdlePerHost idle connections kept per scheme, host and port
   * @param idleTimeout how long an idle connection is kept
   */
  public record Limits(
      Duration timeout, long maxBodyBytes, int maxRedirects, int maxHeaderBytes, int maxIdlePerHost,
      Duration idleTimeout) {

    /** 30 s, 16 MiB, 5 redirects, 64 KiB of header, 4 idle connections per host for 15 s. */
    public static Limits defaults() {
      return new Limits(Duration.ofSeconds(30), 16L * 1024 * 1024, 5, 64 * 1024, 4, Duration.ofSeconds(15));
    }
  }

  private static final List<String> HTTP_1_1 = List.of("http/1.1");
  private static final int MAX_HEADERS = 200;

  private final Stack stack;
  private final DnsClient dns;
  private final Limits limits;
  private volatile SSLContext tls;
  private final Map<String, Deque<Pooled>> idle = new HashMap<>();
  private volatile boolean closed;

  private record Pooled(Flow flow, FlowInput in, long since) {}

  /**
   * A client.
   *
   * @param tls the trusted certificates for https, or {@code null} for the JDK's
   */
  public StackHttpClient(Stack stack, DnsClient dns, Limits limits, SSLContext tls) {
    this.stack = Objects.requireNonNull(stack, "stack");
    this.dns = Objects.requireNonNull(dns, "dns");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.tls = tls;
  }

  /**
   * The {@code http_client} driver as {@code std.mirage} declares it.
   *
   * @throws UsageException for values out of range (the unikernel exits with status 64)
   */
  public static StackHttpClient configured(Stack stack, DnsClient dns, Duration timeout, long maxBody, long redirects)
      throws UsageException {
    if (timeout.isZero() || timeout.isNegative()) {
      throw new UsageException("--http-client-timeout must be positive, got " + timeout.toMillis() + "ms");
    }
    if (maxBody < 0) {
      throw new UsageException("--http-client-max-body must be at least 0, got " + maxBody);
    }
    if (redirects < 0 || redirects > 100) {
      throw new UsageException("--http-client-redirects must be 0 to 100, got " + redirects);
    }
    Limits d = Limits.defaults();
    return new StackHttpClient(stack, dns,
        new Limits(timeout, maxBody, (int) redirects, d.maxHeaderBytes(), d.maxIdlePerHost(), d.idleTimeout()), null);
  }

  @Override
  public void connect() throws IOException {
    if (tls == null) {
      tls = TlsContexts.client(new byte[0], "the JDK's trusted certificates");
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (idle) {
      for (Deque<Pooled> q : idle.values()) {
        for (Pooled p : q) {
          Connection.closeQuietly(p.flow);
        }
      }
      idle.clear();
    }
  }

  @Override
  public Response send(Request request) throws IOException {
    if (closed) {
      throw new IOException("the HTTP client is closed");
    }
    long deadline = System.nanoTime() + limits.timeout().toNanos();
    Request current = request;
    for (int redirects = 0; ; redirects++) {
      Response r = exchange(current, deadline);
      int s = r.status();
      boolean redirect = s == 301 || s == 302 || s == 303 || s == 307 || s == 308;
      if (!redirect || r.header("location").isEmpty()) {
        return r;
      }
      if (redirects >= limits.maxRedirects()) {
        throw new IOException("too many redirects (more than " + limits.maxRedirects() + ") from " + request.uri());
      }
      current = follow(current, r);
    }
  }

  /** The request a redirect asks for. */
  private static Request follow(Request from, Response r) throws IOException {
    URI next;
    try {
      next = from.uri().resolve(new URI(r.header("location").orElseThrow().strip()));
    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
      throw new IOException("a redirect to an unusable Location: " + r.header("location").orElse(""));
    }
    try {
      Request.of("GET", next.toString());
    } catch (IllegalArgumentException e) {
      throw new IOException("a redirect to " + next + ": " + e.getMessage());
    }
    boolean sameHost = next.getHost().equalsIgnoreCase(from.uri().getHost()) && port(next) == port(from.uri());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    from.headers().forEach((k, v) -> {
      String lower = k.toLowerCase(Locale.ROOT);
      boolean credential = lower.equals("authorization") || lower.equals("cookie");
      boolean framing = lower.equals("content-type") || lower.equals("content-length");
      if (!(credential && !sameHost)) {
        headers.put(k, v);
      }
      if (framing) {
        headers.remove(k); // put back below for 307/308
      }
    });
    int s = r.status();
    if (s == 307 || s == 308) {
      from.headers().forEach((k, v) -> {
        if (k.equalsIgnoreCase("content-type")) {
          headers.put(k, v);
        }
      });
      return new Request(from.method(), next, headers, from.body());
    }
    String method = from.method().equals("HEAD") ? "HEAD" : "GET";
    return new Request(method, next, headers, new byte[0]);
  }

  private static int port(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private static String key(URI uri) {
    return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port(uri);
  }

  private Response exchange(Request request, long deadline) throws IOException {
    String key = key(request.uri());
    boolean idempotent = switch (request.method()) {
      case "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE" -> true;
      default -> false;
    };
    Pooled reused = take(key);
    if (reused != null) {
      try {
        return exchangeOn(reused.flow, reused.in, request, deadline, key, true);
      } catch (StaleConnection e) {
        Connection.closeQuietly(reused.flow);
        if (!idempotent) {
          throw new IOException("the server closed the connection before answering " + request.method() + " "
              + request.uri() + " (not resent: the method is not idempotent)");
        }
      }
    }
    Flow flow = open(request.uri(), deadline);
    FlowInput in = new FlowInput(flow, Math.max(8192, limits.maxHeaderBytes() + 1024), () -> {});
    try {
      return exchangeOn(flow, in, request, deadline, key, false);
    } catch (StaleConnection e) {
      Connection.closeQuietly(flow);
      throw new EOFException("the server closed the connection without answering " + request.uri());
    }
  }

  /** The server closed a connection before sending any of the response. */
  private static final class StaleConnection extends IOException {
    private static final long serialVersionUID = 1L;

    StaleConnection() {
      super(null, null);
    }
  }

  private Pooled take(String key) {
    synchronized (idle) {
      Deque<Pooled> q = idle.get(key);
      while (q != null && !q.isEmpty()) {
        Pooled p = q.pollLast();
        if (System.nanoTime() - p.since < limits.idleTimeout().toNanos()) {
          return p;
        }
        Connection.closeQuietly(p.flow);
      }
      return null;
    }
  }

  private void give(String key, Flow flow, FlowInput in) {
    if (closed) {
      Connection.closeQuietly(flow);
      return;
    }
    synchronized (idle) {
      Deque<Pooled> q = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
      while (q.size() >= limits.maxIdlePerHost()) {
        Connection.closeQuietly(q.pollFirst().flow);
      }
      q.addLast(new Pooled(flow, in, System.nanoTime()));
    }
  }

  /** Resolves the host and connects to its first address that answers; TLS for https. */
  private Flow open(URI uri, long deadline) throws IOException {
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = port(uri);
    List<InetAddress> addresses = dns.resolve(host);
    IOException last = null;
    for (InetAddress a : addresses) {
      Duration left = remaining(deadline, uri);
      try {
        Flow flow = stack.tcp().connect(new InetSocketAddress(a, port), left);
        if (!uri.getScheme().equalsIgnoreCase("https")) {
          return flow;
        }
        TlsFlow secure = TlsFlow.client(flow, tls, host, port, HTTP_1_1);
        try {
          secure.readTimeout(remaining(deadline, uri));
          secure.handshake();
        } catch (SSLException e) {
          Connection.closeQuietly(secure);
          throw new SSLException("TLS with " + host + ":" + port + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
          Connection.closeQuietly(secure);
          throw e;
        }
        return secure;
      } catch (SSLException e) {
        throw e; // the same certificate on every address: do not try the others
      } catch (IOException | RuntimeException e) {
        last = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        if (a instanceof Inet6Address && addresses.size() > 1) {
          continue; // e.g. a stack without IPv6
        }
      }
    }
    if (last instanceof ConnectException) {
      throw new ConnectException("cannot connect to " + uri.getHost() + ":" + port + " (" + addresses + "): "
          + last.getMessage());
    }
    throw last != null ? last : new IOException("no address for " + host);
  }

  private Duration remaining(long deadline, URI uri) throws SocketTimeoutException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw new SocketTimeoutException("no complete response from " + uri + " within " + limits.timeout().toMillis() + " ms");
    }
    return Duration.ofNanos(left);
  }

  private Response exchangeOn(Flow flow, FlowInput in, Request request, long deadline, String key, boolean reused)
      throws IOException {
    byte[] head = head(request);
    ByteBuffer out = ByteBuffer.allocate(head.length + request.body().length);
    out.put(head).put(request.body()).flip();
    try {
      flow.write(out);
    } catch (IOException e) {
      if (reused) {
        throw new StaleConnection();
      }
      throw e;
    }
    in.headBy(deadline, false);
    boolean isHead = request.method().equals("HEAD");
    try {
      while (true) {
        String statusLine;
        try {
          statusLine = in.readLine(limits.maxHeaderBytes());
        } catch (FlowInput.LineTooLong e) {
          throw new IOException("the response's status line from " + request.uri() + " is too long");
        }
        if (statusLine == null) {
          if (reused) {
            throw new StaleConnection();
          }
          throw new EOFException("the server closed the connection without answering " + request.uri());
        }
        int status = statusOf(statusLine, request.uri());
        Map<String, List<String>> headers = headers(in, request.uri());
        if (status >= 100 && status < 200 && status != 101) {
          continue; // interim: 100 Continue, 103 Early Hints
        }
        if (status == 101) {
          throw new IOException(request.uri() + " switched protocols (101), which this client does not speak");
        }
        boolean keep = statusLine.startsWith("HTTP/1.1") && !hasToken(headers.get("connection"), "close");
        byte[] body;
        if (isHead || status == 204 || status == 304) {
          body = new byte[0];
        } else if (headers.containsKey("transfer-encoding")) {
          String codings = String.join(",", headers.get("transfer-encoding")).strip().toLowerCase(Locale.ROOT);
          if (!codings.equals("chunked")) {
            throw new IOException(request.uri() + " answered with an unsupported transfer coding: " + codings);
          }
          body = chunked(in, request.uri());
        } else if (headers.containsKey("content-length")) {
          body = exactly(in, contentLength(headers.get("content-length"), request.uri()), request.uri());
        } else {
          body = toEnd(in, request.uri());
          keep = false;
        }
        if (keep) {
          give(key, flow, in);
        } else {
          Connection.closeQuietly(flow);
        }
        return new Response(status, headers, body, request.uri());
      }
    } catch (StaleConnection e) {
      throw e;
    } catch (SocketTimeoutException e) {
      Connection.closeQuietly(flow);
      throw new SocketTimeoutException("no complete response from " + request.uri() + " within "
          + limits.timeout().toMillis() + " ms");
    } catch (IOException | RuntimeException e) {
      Connection.closeQuietly(flow);
      throw e;
    }
  }

  private byte[] head(Request request) {
    URI uri = request.uri();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    StringBuilder h = new StringBuilder(256);
    if (!RequestParser.isToken(request.method())) {
      throw new IllegalArgumentException("not an HTTP method: " + request.method());
    }
    h.append(request.method()).append(' ').append(path).append(" HTTP/1.1\r\n");
    Map<String, Boolean> given = new HashMap<>();
    request.headers().forEach((k, v) -> given.put(k.toLowerCase(Locale.ROOT), true));
    if (!given.containsKey("host")) {
      int defaultPort = uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
      boolean showPort = uri.getPort() >= 0 && uri.getPort() != defaultPort;
      h.append("Host: ").append(uri.getHost()).append(showPort ? ":" + uri.getPort() : "").append("\r\n");
    }
    if (!given.containsKey("user-agent")) {
      h.append("User-Agent: mirage4j\r\n");
    }
    if (!given.containsKey("accept")) {
      h.append("Accept: */*\r\n");
    }
    for (Map.Entry<String, List<String>> e : request.headers().entrySet()) {
      String lower = e.getKey().toLowerCase(Locale.ROOT);
      if (lower.equals("content-length") || lower.equals("transfer-encoding") || lower.equals("connection")) {
        continue;
      }
      if (!RequestParser.isToken(e.getKey())) {
        throw new IllegalArgumentException("not a header name: " + e.getKey());
      }
      for (String v : e.getValue()) {
        if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0 || v.indexOf(0) >= 0) {
          throw new IllegalArgumentException("a CR, LF or NUL in the value of header " + e.getKey());
        }
        h.append(e.getKey()).append(": ").append(v).append("\r\n");
      }
    }
    boolean bodyExpected = request.body().length > 0 || switch (request.method()) {
      case "POST", "PUT", "PATCH" -> true;
      default -> false;
    };
    if (bodyExpected) {
      h.append("Content-Length: ").append(request.body().length).append("\r\n");
    }
    h.append("\r\n");
    return h.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static int statusOf(String line, URI uri) throws IOException {
    // HTTP/1.1 200 OK
    if (line.length() < 12 || !line.startsWith("HTTP/1.") || line.charAt(8) != ' '
        || !Character.isDigit(line.charAt(9)) || !Character.isDigit(line.charAt(10)) || !Character.isDigit(line.charAt(11))
        || (line.length() > 12 && line.charAt(12) != ' ')) {
      String shown = line.length() > 60 ? line.substring(0, 60) + "..." : line;
      throw new IOException(uri + " did not answer with HTTP/1.x (the response began with '" + printable(shown) + "')");
    }
    int status = Integer.parseInt(line.substring(9, 12));
    if (status < 100) {
      throw new IOException(uri + " answered with status " + status);
    }
    return status;
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    for (char c : s.toCharArray()) {
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }

  private Map<String, List<String>> headers(FlowInput in, URI uri) throws IOException {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    int budget = limits.maxHeaderBytes();
    int count = 0;
    while (true) {
      String line;
      try {
        line = in.readLine(budget);
      } catch (FlowInput.LineTooLong e) {
        throw new IOException("the response header section from " + uri + " is larger than "
            + limits.maxHeaderBytes() + " bytes");
      }
      if (line == null) {
        throw new EOFException("the server closed the connection inside the response head from " + uri);
      }
      budget -= line.length() + 2;
      if (line.isEmpty()) {
        return headers;
      }
      if (++count > MAX_HEADERS) {
        throw new IOException("more than " + MAX_HEADERS + " header fields in the response from " + uri);
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !RequestParser.isToken(line.substring(0, colon))) {
        throw new IOException("a malformed header field in the response from " + uri);
      }
      headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(line.substring(colon + 1).strip());
    }
  }

  private static boolean hasToken(List<String> values, String token) {
    if (values == null) {
      return false;
    }
    for (String v : values) {
      for (String t : v.split(",")) {
        if (t.strip().equalsIgnoreCase(token)) {
          return true;
        }
      }
    }
    return false;
  }

  private long contentLength(List<String> values, URI uri) throws IOException {
    long length = -1;
    for (String v : values) {
      for (String item : v.split(",")) {
        String d = item.strip();
        if (d.isEmpty() || d.length() > 18 || !d.chars().allMatch(Character::isDigit)) {
          throw new IOException("a malformed Content-Length in the response from " + uri);
        }
        long n = Long.parseLong(d);
        if (length >= 0 && n != length) {
          throw new IOException("conflicting Content-Length values in the response from " + uri);
        }
        length = n;
      }
    }
    return length;
  }

  private void checkSize(long size, URI uri) throws IOException {
    if (size > limits.maxBodyBytes()) {
      throw new IOException("the response body from " + uri + " is larger than " + limits.maxBodyBytes() + " bytes");
    }
  }

  private byte[] exactly(FlowInput in, long length, URI uri) throws IOException {
    checkSize(length, uri);
    byte[] body = new byte[(int) length];
    int at = 0;
    while (at < length) {
      int n = in.read(body, at, (int) length - at);
      if (n < 0) {
        throw new EOFException("the response body from " + uri + " ended after " + at + " of " + length + " bytes");
      }
      at += n;
    }
    return body;
  }

  private byte[] toEnd(FlowInput in, URI uri) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    byte[] buffer = new byte[16 * 1024];
    int n;
    while ((n = in.read(buffer, 0, buffer.length)) > 0) {
      checkSize(body.size() + (long) n, uri);
      body.write(buffer, 0, n);
    }
    return body.toByteArray();
  }

  private byte[] chunked(FlowInput in, URI uri) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      while (true) {
        String line = in.readLine(1024);
        if (line == null) {
          throw new EOFException("the chunked response body from " + uri + " ended early");
        }
        int semicolon = line.indexOf(';');
        String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).strip();
        if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
          throw new IOException("a malformed chunk size in the response from " + uri);
        }
        long size = Long.parseLong(hex, 16);
        if (size == 0) {
          int budget = limits.maxHeaderBytes();
          while (true) {
            String trailer = in.readLine(budget);
            if (trailer == null || trailer.isEmpty()) {
              return body.toByteArray();
            }
            budget -= trailer.length() + 2;
          }
        }
        checkSize(body.size() + size, uri);
        body.write(exactly(in, size, uri));
        String end = in.readLine(2);
        if (end == null || !end.isEmpty()) {
          throw new IOException("a chunk not followed by CRLF in the response from " + uri);
        }
      }
    } catch (FlowInput.LineTooLong e) {
      throw new IOException("a chunk line or trailer too long in the response from " + uri);
    }
  }

  @Override
  public String toString() {
    return "StackHttpClient(" + stack + ")";
  }
}
