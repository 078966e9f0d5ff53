package org.mirage4j.drivers.tls;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.mirage4j.api.Flow;

/**
 * TLS over a {@link Flow}: the JDK's {@link SSLEngine} between the application's bytes and the
 * transport's, so that TLS works over any stack (the host's sockets or the direct stack).
 *
 * <p>TLS 1.3 and 1.2 only, the JDK's cipher suites, ALPN as given. The handshake runs on the first
 * {@link #read} or {@link #write} (or {@link #handshake()}), under the read timeout set on this
 * flow. One thread may read while another writes, as for any flow; TLS 1.3 post-handshake
 * messages (tickets, key updates) are handled as they come; a TLS 1.2 renegotiation that would
 * need a writer to read is refused.
 * {@link #shutdownOutput()} and {@link #close()} send {@code close_notify}; a peer that closes
 * without it ends the stream as if it had.
 */
public final class TlsFlow implements Flow {

  /** The protocol versions offered and accepted. */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /** The first bytes were not a TLS handshake but plain text (an {@code http://} request to a TLS port). */
  public static final class PlainTextException extends SSLException {
    private static final long serialVersionUID = 1L;

    PlainTextException() {
      super("the peer sent plain text, not a TLS handshake");
    }
  }

  private final Flow transport;
  private final SSLEngine engine;
  private final boolean server;
  private final ReentrantLock readLock = new ReentrantLock();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Object handshakeLock = new Object();
  private volatile boolean handshaken;
  private volatile IOException handshakeFailure;
  private boolean firstBytesChecked;

  // guarded by readLock
  private ByteBuffer netIn; // write mode: ciphertext received, not yet unwrapped
  private ByteBuffer appIn; // write mode: plaintext unwrapped, not yet read
  private boolean inboundDone;
  // guarded by writeLock
  private ByteBuffer netOut; // write mode
  private boolean outboundDone;

  private TlsFlow(Flow transport, SSLEngine engine, boolean server) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.engine = engine;
    this.server = server;
    SSLSession session = engine.getSession();
    this.netIn = ByteBuffer.allocate(session.getPacketBufferSize());
    this.appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
    this.netOut = ByteBuffer.allocate(session.getPacketBufferSize());
  }

  /**
   * The server side of a connection the transport accepted.
   *
   * @param context holds the server's certificate and key
   * @param applicationProtocols the ALPN protocols the server speaks, in preference order ({@code
   *     http/1.1}); a client that offers only others is refused. Empty: no ALPN
   */
  public static TlsFlow server(Flow transport, SSLContext context, List<String> applicationProtocols) {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    SSLParameters p = engine.getSSLParameters();
    p.setProtocols(PROTOCOLS);
    if (!applicationProtocols.isEmpty()) {
      p.setApplicationProtocols(applicationProtocols.toArray(String[]::new));
    }
    engine.setSSLParameters(p);
    return new TlsFlow(transport, engine, true);
  }

  /**
   * The client side of a connection to {@code host}: the server's certificate must be valid for
   * it (RFC 2818 / 6125), and it is sent as SNI unless it is an IP address.
   *
   * @param context holds the trusted certificates
   * @param applicationProtocols the ALPN protocols offered, in preference order; empty: no ALPN
   */
  public static TlsFlow client(
      Flow transport, SSLContext context, String host, int port, List<String> applicationProtocols) {
    return client(transport, context, host, port, applicationProtocols, List.of(PROTOCOLS));
  }

  /**
   * The client side of a connection to {@code host}, offering only the given protocol versions
   * (a subset of {@code TLSv1.3} and {@code TLSv1.2}).
   */
  public static TlsFlow client(
      Flow transport, SSLContext context, String host, int port, List<String> applicationProtocols,
      List<String> versions) {
    for (String v : versions) {
      if (!List.of(PROTOCOLS).contains(v)) {
        throw new IllegalArgumentException("not a TLS version offered: " + v + " (TLSv1.3, TLSv1.2)");
      }
    }
    SSLEngine engine = context.createSSLEngine(host, port);
    engine.setUseClientMode(true);
    SSLParameters p = engine.getSSLParameters();
    p.setProtocols(versions.toArray(String[]::new));
    p.setEndpointIdentificationAlgorithm("HTTPS");
    if (!isIpLiteral(host)) {
      p.setServerNames(List.of(new SNIHostName(host)));
    }
    if (!applicationProtocols.isEmpty()) {
      p.setApplicationProtocols(applicationProtocols.toArray(String[]::new));
    }
    engine.setSSLParameters(p);
    return new TlsFlow(transport, engine, false);
  }

  private static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  /** The flow under TLS. */
  public Flow transport() {
    return transport;
  }

  /** The protocol version agreed ({@code TLSv1.3}), after the handshake. */
  public String protocol() {
    return engine.getSession().getProtocol();
  }

  /** The ALPN protocol agreed, {@code ""} if none, after the handshake. */
  public String applicationProtocol() {
    String p = engine.getApplicationProtocol();
    return p == null ? "" : p;
  }

  /** The TLS session (peer certificates, cipher suite), after the handshake. */
  public SSLSession session() {
    return engine.getSession();
  }

  /**
   * Runs the handshake if it has not run yet.
   *
   * @throws SSLException if it fails (the reason is in the message)
   * @throws PlainTextException if a client sent plain text to this server
   */
  public void handshake() throws IOException {
    if (handshaken) {
      return;
    }
    synchronized (handshakeLock) {
      if (handshakeFailure != null) {
        throw handshakeFailure;
      }
      if (handshaken) {
        return;
      }
      readLock.lock();
      writeLock.lock();
      try {
        engine.beginHandshake();
        runHandshake();
        handshaken = true;
      } catch (IOException e) {
        handshakeFailure = e;
        if (e instanceof SSLException) {
          sendAlert();
        }
        throw e;
      } finally {
        writeLock.unlock();
        readLock.unlock();
      }
    }
  }

  // with both locks held
  private void runHandshake() throws IOException {
    HandshakeStatus hs = engine.getHandshakeStatus();
    while (true) {
      switch (hs) {
        case NEED_WRAP -> {
          SSLEngineResult r = wrap(ByteBuffer.allocate(0));
          flushNetOut();
          if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("the TLS handshake was closed");
          }
          hs = r.getHandshakeStatus();
        }
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          SSLEngineResult r = unwrapOnce();
          if (r == null) {
            throw new EOFException("the peer closed the connection during the TLS handshake");
          }
          if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            throw new SSLException("the peer closed the TLS handshake");
          }
          hs = r.getHandshakeStatus();
        }
        case NEED_TASK -> {
          runTasks();
          hs = engine.getHandshakeStatus();
        }
        case FINISHED, NOT_HANDSHAKING -> {
          return;
        }
        default -> throw new SSLException("unexpected handshake status " + hs);
      }
    }
  }

  /** After a failed handshake, sends the alert the engine has for the peer, if it can. */
  private void sendAlert() {
    try {
      engine.closeOutbound();
      for (int i = 0; i < 4 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
        netOut.clear();
        engine.wrap(ByteBuffer.allocate(0), netOut);
        flushNetOut();
      }
    } catch (IOException | RuntimeException e) {
      // the peer is gone: nothing to tell it
    }
  }

  private void runTasks() {
    Runnable task;
    while ((task = engine.getDelegatedTask()) != null) {
      task.run();
    }
  }

  /**
   * Unwraps one record from {@code netIn}, reading from the transport as needed (readLock held).
   *
   * @return the result, or {@code null} at the end of the transport's stream
   */
  private SSLEngineResult unwrapOnce() throws IOException {
    while (true) {
      netIn.flip();
      SSLEngineResult r;
      try {
        r = engine.unwrap(netIn, appIn);
      } finally {
        netIn.compact();
      }
      switch (r.getStatus()) {
        case OK, CLOSED -> {
          return r;
        }
        case BUFFER_OVERFLOW -> appIn = grow(appIn, engine.getSession().getApplicationBufferSize());
        case BUFFER_UNDERFLOW -> {
          int packet = engine.getSession().getPacketBufferSize();
          if (netIn.capacity() < packet) {
            netIn = grow(netIn, packet);
          }
          if (readTransport() < 0) {
            return null;
          }
        }
        default -> throw new SSLException("unexpected unwrap status " + r.getStatus());
      }
    }
  }

  private static ByteBuffer grow(ByteBuffer b, int atLeast) {
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, b.capacity()) + b.position());
    b.flip();
    bigger.put(b);
    return bigger;
  }

  private int readTransport() throws IOException {
    if (!netIn.hasRemaining()) {
      netIn = grow(netIn, netIn.capacity());
    }
    int n = transport.read(netIn);
    if (n > 0 && server && !firstBytesChecked) {
      firstBytesChecked = true;
      byte first = netIn.get(0);
      if (first != 0x16) { // a TLS record of the handshake protocol
        if (first >= 'A' && first <= 'Z') {
          throw new PlainTextException();
        }
        throw new SSLException("the peer did not start a TLS handshake");
      }
    }
    return n;
  }

  /** Wraps {@code src} into {@code netOut} (writeLock held), growing it as needed. */
  private SSLEngineResult wrap(ByteBuffer src) throws IOException {
    while (true) {
      SSLEngineResult r = engine.wrap(src, netOut);
      if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
        if (netOut.position() > 0) {
          flushNetOut();
        } else {
          netOut = grow(netOut, engine.getSession().getPacketBufferSize());
        }
        continue;
      }
      if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
        runTasks();
      }
      return r;
    }
  }

  private void flushNetOut() throws IOException {
    netOut.flip();
    try {
      if (netOut.hasRemaining()) {
        transport.write(netOut);
      }
    } finally {
      netOut.clear();
    }
  }

  @Override
  public int read(ByteBuffer into) throws IOException {
    handshake();
    readLock.lock();
    try {
      while (true) {
        if (appIn.position() > 0) {
          appIn.flip();
          int n = Math.min(appIn.remaining(), into.remaining());
          ByteBuffer slice = appIn.slice(appIn.position(), n);
          into.put(slice);
          appIn.position(appIn.position() + n);
          appIn.compact();
          return n;
        }
        if (!into.hasRemaining()) {
          return 0;
        }
        if (inboundDone) {
          return -1;
        }
        SSLEngineResult r = unwrapOnce();
        if (r == null) {
          inboundDone = true; // closed without close_notify: the end all the same
          try {
            engine.closeInbound();
          } catch (SSLException e) {
            // a truncation would matter to a protocol without its own framing; HTTP has it
          }
          return -1;
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
          inboundDone = true;
        }
        HandshakeStatus hs = r.getHandshakeStatus();
        if (hs == HandshakeStatus.NEED_TASK) {
          runTasks();
          hs = engine.getHandshakeStatus();
        }
        if (hs == HandshakeStatus.NEED_WRAP) {
          // a TLS 1.3 key update to answer, or our close_notify in reply to the peer's
          readLock.unlock();
          try {
            answerPostHandshake();
          } finally {
            readLock.lock();
          }
        }
      }
    } finally {
      readLock.unlock();
    }
  }

  private void answerPostHandshake() throws IOException {
    writeLock.lock();
    try {
      while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
        SSLEngineResult r = wrap(ByteBuffer.allocate(0));
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
          outboundDone = true;
          flushNetOut();
          return;
        }
      }
      flushNetOut();
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void write(ByteBuffer data) throws IOException {
    handshake();
    writeLock.lock();
    try {
      if (outboundDone) {
        throw new ClosedChannelException();
      }
      while (data.hasRemaining()) {
        SSLEngineResult r = wrap(data);
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
          throw new ClosedChannelException();
        }
        if (r.bytesConsumed() == 0 && r.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
          throw new SSLException("TLS renegotiation is not supported");
        }
        if (netOut.position() >= 4 * 16 * 1024) {
          flushNetOut(); // a few records per write to the transport
        }
      }
      flushNetOut();
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void shutdownOutput() throws IOException {
    sendCloseNotify(true);
    transport.shutdownOutput();
  }

  private void sendCloseNotify(boolean wait) throws IOException {
    if (!handshaken) {
      return;
    }
    if (wait) {
      writeLock.lock();
    } else if (!writeLock.tryLock()) {
      return; // a writer is stuck: closing the transport will end it
    }
    try {
      if (outboundDone) {
        return;
      }
      outboundDone = true;
      engine.closeOutbound();
      while (!engine.isOutboundDone()) {
        SSLEngineResult r = wrap(ByteBuffer.allocate(0));
        if (r.bytesProduced() == 0) {
          break;
        }
      }
      flushNetOut();
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void readTimeout(Duration timeout) throws IOException {
    transport.readTimeout(timeout);
  }

  @Override
  public InetSocketAddress localAddress() {
    return transport.localAddress();
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return transport.remoteAddress();
  }

  /** Sends {@code close_notify} if it can without waiting, then closes the transport. */
  @Override
  public void close() throws IOException {
    try {
      sendCloseNotify(false);
    } catch (IOException | RuntimeException e) {
      // closing anyway
    } finally {
      transport.close();
    }
  }

  @Override
  public String toString() {
    InetAddress peer = transport.remoteAddress() == null ? null : transport.remoteAddress().getAddress();
    return "TlsFlow(" + (server ? "server" : "client") + ", " + peer + ")";
  }
}
