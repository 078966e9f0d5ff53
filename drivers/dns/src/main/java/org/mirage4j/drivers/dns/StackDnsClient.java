package org.mirage4j.drivers.dns;

import java.io.EOFException;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.mirage4j.api.DnsClient;
import org.mirage4j.api.Flow;
import org.mirage4j.api.Stack;
import org.mirage4j.api.UdpSocket;
import org.mirage4j.runtime.UsageException;

/**
 * The {@code dns_client} driver: a stub resolver over the UDP and TCP of any {@link Stack}.
 *
 * <p>A query goes over UDP from a fresh random port with a random id (EDNS0, 1,232 bytes), to each
 * name server in turn, each try waiting {@code timeout}, the whole list {@code 1 + retries} times;
 * a truncated answer is asked again over TCP. A response from another address, with another id,
 * to another question, or that does not parse is ignored (not an error: the real answer may still
 * come). {@code NXDOMAIN} ends the query; {@code SERVFAIL} and {@code REFUSED} move on to the next
 * server. CNAMEs in the answer are followed. Answers are cached for their TTL (at most an hour).
 * IP literals and {@code localhost} never reach the network.
 */
public final class StackDnsClient implements DnsClient {

  /** Used when no name server is given and the host has no {@code /etc/resolv.conf}. */
  static final List<InetSocketAddress> FALLBACK =
      List.of(new InetSocketAddress("1.1.1.1", 53), new InetSocketAddress("9.9.9.9", 53));

  private static final int MAX_CACHE = 1024;
  private static final long MAX_TTL_SECONDS = 3600;

  private final Stack stack;
  private final List<InetSocketAddress> given;
  private final Duration timeout;
  private final int retries;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Cached> cache = new LinkedHashMap<>();
  private volatile List<InetSocketAddress> servers = List.of();
  private volatile ScheduledExecutorService timer;

  private record Cached(List<InetAddress> addresses, long expires) {}

  /**
   * A resolver.
   *
   * @param stack where the queries go
   * @param nameservers the servers to ask, in order; empty: those of {@code /etc/resolv.conf}, else
   *     1.1.1.1 and 9.9.9.9
   * @param timeout how long one try waits for an answer
   * @param retries how many more times the list is tried after the first round
   */
  public StackDnsClient(Stack stack, List<InetSocketAddress> nameservers, Duration timeout, int retries) {
    this.stack = Objects.requireNonNull(stack, "stack");
    this.given = List.copyOf(nameservers);
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the DNS timeout must be positive: " + timeout);
    }
    if (retries < 0 || retries > 20) {
      throw new IllegalArgumentException("DNS retries must be 0 to 20: " + retries);
    }
    this.timeout = timeout;
    this.retries = retries;
  }

  /**
   * The {@code dns_client} driver as {@code std.mirage} declares it.
   *
   * @param nameservers {@code 192.0.2.1}, {@code 192.0.2.1:5353}, {@code [2001:db8::1]:53}
   * @throws UsageException for a server that is not an address, or values out of range
   */
  public static StackDnsClient configured(Stack stack, List<String> nameservers, Duration timeout, long retries)
      throws UsageException {
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String s : nameservers) {
      servers.add(parseServer(s));
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new UsageException("--dns-timeout must be positive, got " + timeout.toMillis() + "ms");
    }
    if (retries < 0 || retries > 20) {
      throw new UsageException("--dns-retries must be 0 to 20, got " + retries);
    }
    return new StackDnsClient(stack, servers, timeout, (int) retries);
  }

  /** {@code address}, {@code address:port}, {@code [v6]} or {@code [v6]:port}; the address as an IP literal. */
  static InetSocketAddress parseServer(String text) throws UsageException {
    String s = text.strip();
    String host;
    int port = 53;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        throw new UsageException("--nameservers: '" + text + "' is not an address ([v6]:port)");
      }
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new UsageException("--nameservers: '" + text + "' is not an address ([v6]:port)");
        }
        port = port(rest.substring(1), text);
      }
    } else {
      int colon = s.indexOf(':');
      if (colon >= 0 && s.indexOf(':', colon + 1) < 0) {
        host = s.substring(0, colon);
        port = port(s.substring(colon + 1), text);
      } else {
        host = s;
      }
    }
    if (!isIpLiteral(host)) {
      throw new UsageException("--nameservers: '" + text + "' is not an IP address (a name server is given by address)");
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new UsageException("--nameservers: '" + text + "' is not an IP address");
    }
  }

  private static int port(String digits, String text) throws UsageException {
    try {
      int p = Integer.parseInt(digits);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new UsageException("--nameservers: '" + text + "' has no valid port (1-65535)");
  }

  static boolean isIpLiteral(String host) {
    if (host.isEmpty()) {
      return false;
    }
    if (host.indexOf(':') >= 0) {
      return host.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  /** The name servers of {@code /etc/resolv.conf}, port 53. */
  static List<InetSocketAddress> resolvConf(Path file) {
    List<InetSocketAddress> found = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String[] words = line.strip().split("\\s+");
        if (words.length >= 2 && words[0].equals("nameserver")) {
          String host = words[1];
          int percent = host.indexOf('%'); // fe80::1%eth0
          if (percent >= 0) {
            host = host.substring(0, percent);
          }
          if (isIpLiteral(host)) {
            found.add(new InetSocketAddress(InetAddress.getByName(host), 53));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return found;
  }

  /** Chooses the name servers. */
  @Override
  public void connect() {
    List<InetSocketAddress> chosen = given;
    if (chosen.isEmpty()) {
      chosen = resolvConf(Path.of("/etc/resolv.conf"));
    }
    if (chosen.isEmpty()) {
      chosen = FALLBACK;
    }
    servers = chosen;
    ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
      Thread th = new Thread(r, "dns-timeouts");
      th.setDaemon(true);
      return th;
    });
    t.setRemoveOnCancelPolicy(true);
    timer = t;
    List<InetSocketAddress> used = chosen;
    System.getLogger("dns").log(System.Logger.Level.DEBUG, () -> "name servers " + used);
  }

  /** The name servers asked, in order (after connect). */
  public List<InetSocketAddress> servers() {
    return servers;
  }

  @Override
  public void close() {
    ScheduledExecutorService t = timer;
    if (t != null) {
      t.shutdownNow();
    }
  }

  @Override
  public List<Inet4Address> resolveIpv4(String host) throws IOException {
    List<Inet4Address> out = new ArrayList<>();
    for (InetAddress a : lookup(host, DnsMessage.A)) {
      out.add((Inet4Address) a);
    }
    return out;
  }

  @Override
  public List<Inet6Address> resolveIpv6(String host) throws IOException {
    List<Inet6Address> out = new ArrayList<>();
    for (InetAddress a : lookup(host, DnsMessage.AAAA)) {
      out.add((Inet6Address) a);
    }
    return out;
  }

  @Override
  public List<InetAddress> resolve(String host) throws IOException {
    List<InetAddress> all = new ArrayList<>();
    IOException v4Failure = null;
    try {
      all.addAll(lookup(host, DnsMessage.A));
    } catch (UnknownHostException e) {
      v4Failure = e;
    }
    try {
      all.addAll(lookup(host, DnsMessage.AAAA));
    } catch (UnknownHostException e) {
      if (all.isEmpty()) {
        throw v4Failure != null && v4Failure.getMessage().contains("does not exist") ? v4Failure : e;
      }
    }
    if (all.isEmpty()) {
      throw new UnknownHostException(host + " has no address");
    }
    return all;
  }

  private List<InetAddress> lookup(String host, int type) throws IOException {
    Objects.requireNonNull(host, "host");
    String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (isIpLiteral(literal)) {
      InetAddress a = InetAddress.getByName(literal);
      boolean v4 = a instanceof Inet4Address;
      if (v4 == (type == DnsMessage.A)) {
        return List.of(a);
      }
      throw new UnknownHostException(host + " is an IPv" + (v4 ? "4" : "6") + " address");
    }
    String name = DnsMessage.canonical(host);
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      return List.of(InetAddress.getByName(type == DnsMessage.A ? "127.0.0.1" : "::1"));
    }
    String key = type + " " + name;
    synchronized (cache) {
      Cached c = cache.get(key);
      if (c != null) {
        if (System.nanoTime() - c.expires < 0) {
          return c.addresses;
        }
        cache.remove(key);
      }
    }
    DnsMessage.Answer answer = ask(name, type);
    String kind = type == DnsMessage.A ? "IPv4 (A)" : "IPv6 (AAAA)";
    if (answer.addresses().isEmpty()) {
      throw new UnknownHostException(host + " has no " + kind + " address");
    }
    long ttl = Math.min(MAX_TTL_SECONDS, answer.ttlSeconds());
    if (ttl > 0) {
      synchronized (cache) {
        if (cache.size() >= MAX_CACHE) {
          cache.remove(cache.keySet().iterator().next());
        }
        cache.put(key, new Cached(List.copyOf(answer.addresses()), System.nanoTime() + TimeUnit.SECONDS.toNanos(ttl)));
      }
    }
    return List.copyOf(answer.addresses());
  }

  /** Asks the servers in turn until one answers (or says the name does not exist). */
  private DnsMessage.Answer ask(String name, int type) throws IOException {
    List<InetSocketAddress> list = servers;
    if (timer == null) {
      throw new IllegalStateException("the DNS client is not connected");
    }
    List<String> problems = new ArrayList<>();
    int tries = 0;
    for (int round = 0; round <= retries; round++) {
      for (InetSocketAddress server : list) {
        tries++;
        DnsMessage.Answer a;
        try {
          a = udp(server, name, type);
          if (a != null && a.truncated()) {
            a = tcp(server, name, type);
          }
        } catch (IOException e) {
          problems.add(where(server) + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
          continue;
        }
        if (a == null) {
          problems.add(where(server) + ": no answer within " + timeout.toMillis() + " ms");
          continue;
        }
        switch (a.rcode()) {
          case DnsMessage.NOERROR -> {
            return a;
          }
          case DnsMessage.NXDOMAIN -> throw new UnknownHostException(name + " does not exist (NXDOMAIN from " + where(server) + ")");
          default -> problems.add(where(server) + ": " + rcodeName(a.rcode()));
        }
      }
    }
    String summary = String.join("; ", new java.util.LinkedHashSet<>(problems));
    if (problems.stream().allMatch(p -> p.contains("no answer within"))) {
      throw new SocketTimeoutException("no DNS answer for " + name + " after " + tries + " tries (" + summary + ")");
    }
    throw new IOException("cannot resolve " + name + " (" + summary + ")");
  }

  private static String where(InetSocketAddress server) {
    String host = server.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + server.getPort();
  }

  private static String rcodeName(int rcode) {
    return switch (rcode) {
      case DnsMessage.SERVFAIL -> "SERVFAIL (the server failed)";
      case DnsMessage.REFUSED -> "REFUSED (the server will not answer)";
      case 1 -> "FORMERR (the server did not understand the query)";
      case 4 -> "NOTIMP";
      default -> "response code " + rcode;
    };
  }

  /** One try over UDP; {@code null} if no answer came in time. */
  private DnsMessage.Answer udp(InetSocketAddress server, String name, int type) throws IOException {
    int id = random.nextInt(1 << 16);
    byte[] query = DnsMessage.query(id, name, type);
    UdpSocket socket = stack.udp().bind(0);
    ScheduledFuture<?> deadline = timer.schedule(() -> closeQuietly(socket), timeout.toNanos(), TimeUnit.NANOSECONDS);
    long end = System.nanoTime() + timeout.toNanos();
    try {
      try {
        socket.send(server, ByteBuffer.wrap(query));
      } catch (IOException e) {
        if (deadline.isDone()) {
          return null; // the deadline closed the socket before the query was out (a loaded machine)
        }
        throw e;
      }
      ByteBuffer buffer = ByteBuffer.allocate(65535);
      while (System.nanoTime() - end < 0) {
        buffer.clear();
        InetSocketAddress from;
        try {
          from = socket.receive(buffer);
        } catch (IOException e) {
          return null; // closed at the deadline
        }
        if (!sameEndpoint(from, server)) {
          continue; // not from the server asked: ignore (spoofing, strays)
        }
        try {
          return DnsMessage.parse(buffer.array(), buffer.position(), id, name, type);
        } catch (DnsMessage.Malformed e) {
          // not the answer: keep waiting
        }
      }
      return null;
    } finally {
      deadline.cancel(false);
      closeQuietly(socket);
    }
  }

  private static boolean sameEndpoint(InetSocketAddress from, InetSocketAddress server) {
    if (from == null || from.getPort() != server.getPort()) {
      return false;
    }
    InetAddress a = from.getAddress();
    InetAddress b = server.getAddress();
    if (a.equals(b)) {
      return true;
    }
    // a v4 server answering to a dual-stack socket appears as ::ffff:a.b.c.d
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    return x.length == 16 && y.length == 4 && x[10] == (byte) 0xff && x[11] == (byte) 0xff
        && x[12] == y[0] && x[13] == y[1] && x[14] == y[2] && x[15] == y[3];
  }

  /** One try over TCP (RFC 7766), for an answer too large for UDP. */
  private DnsMessage.Answer tcp(InetSocketAddress server, String name, int type) throws IOException {
    int id = random.nextInt(1 << 16);
    byte[] query = DnsMessage.query(id, name, type);
    try (Flow flow = stack.tcp().connect(server, timeout)) {
      flow.readTimeout(timeout);
      ByteBuffer out = ByteBuffer.allocate(2 + query.length);
      out.putShort((short) query.length).put(query).flip();
      flow.write(out);
      ByteBuffer len = ByteBuffer.allocate(2);
      readFully(flow, len);
      int n = len.getShort(0) & 0xffff;
      ByteBuffer msg = ByteBuffer.allocate(n);
      readFully(flow, msg);
      try {
        return DnsMessage.parse(msg.array(), n, id, name, type);
      } catch (DnsMessage.Malformed e) {
        throw new IOException("a malformed answer over TCP (" + e.getMessage() + ")");
      }
    }
  }

  private static void readFully(Flow flow, ByteBuffer into) throws IOException {
    while (into.hasRemaining()) {
      if (flow.read(into) < 0) {
        throw new EOFException("the server closed the TCP connection early");
      }
    }
  }

  private static void closeQuietly(UdpSocket socket) {
    try {
      socket.close();
    } catch (IOException | RuntimeException e) {
      // closing anyway
    }
  }

  @Override
  public String toString() {
    return "StackDnsClient" + servers.stream().map(StackDnsClient::where).toList().toString().toLowerCase(Locale.ROOT);
  }
}
