package org.mirage4j.drivers.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.mirage4j.api.http.HttpHandler;
import org.mirage4j.drivers.socket.SocketStack;

/** A {@link StackHttpServer} on a {@link SocketStack}, port 0, serving on a background thread. */
final class ServerFixture implements AutoCloseable {

  final SocketStack stack = new SocketStack();
  final StackHttpServer server;
  final Thread serveThread;
  final AtomicReference<Throwable> serveFailure = new AtomicReference<>();
  final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(20))
          .build();

  ServerFixture(HttpHandler handler) throws IOException {
    this(handler, StackHttpServer.Limits.defaults());
  }

  ServerFixture(HttpHandler handler, StackHttpServer.Limits limits) throws IOException {
    stack.connect();
    server = new StackHttpServer(stack, 0, limits);
    server.connect();
    serveThread =
        new Thread(
            () -> {
              try {
                server.serve(handler);
              } catch (Throwable t) {
                serveFailure.set(t);
              }
            },
            "serve");
    serveThread.setDaemon(true);
    serveThread.start();
    for (int i = 0; i < 2000 && !server.isServing() && serveThread.isAlive(); i++) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!server.isServing()) {
      throw new IllegalStateException("the server did not start serving", serveFailure.get());
    }
  }

  int port() {
    return server.port();
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  RawClient raw() throws IOException {
    return new RawClient(port());
  }

  /** Waits (polling, bounded) until the server serves no connection; false if it never happens. */
  boolean awaitNoConnections() throws InterruptedException {
    for (int i = 0; i < 2000; i++) {
      if (server.activeConnections() == 0) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  @Override
  public void close() throws Exception {
    server.close();
    serveThread.join(20_000);
    stack.close();
  }
}
