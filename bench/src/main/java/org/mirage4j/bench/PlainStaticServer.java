package org.mirage4j.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * The baseline of the HTTP benchmark: the JDK's {@code com.sun.net.httpserver} serving the same
 * directory, with a thread pool like the unikernel's server. Run as its own JVM by
 * {@link HttpFigures}: {@code PlainStaticServer <dir> <port> [address=127.0.0.1]}.
 */
public final class PlainStaticServer {

  private PlainStaticServer() {}

  /** Serves {@code args[0]} on port {@code args[1]} until killed. */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]).toAbsolutePath().normalize();
    String address = args.length > 2 ? args[2] : "127.0.0.1";
    HttpServer server = HttpServer.create(new InetSocketAddress(address, Integer.parseInt(args[1])), 256);
    server.createContext("/", exchange -> serve(root, exchange));
    server.setExecutor(Executors.newFixedThreadPool(64));
    server.start();
    System.out.println("plain server listening");
  }

  private static void serve(Path root, HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Path file = root.resolve(path.substring(1)).normalize();
    if (path.endsWith("/")) {
      file = file.resolve("index.html");
    }
    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    byte[] body = Files.readAllBytes(file);
    String name = file.getFileName().toString();
    exchange.getResponseHeaders().set("Content-Type", name.endsWith(".css") ? "text/css" : "text/html; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
