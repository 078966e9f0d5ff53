package org.mirage4j.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts the {@code static-website} unikernel and a plain {@code com.sun.net.httpserver} server
 * serving the same files, each in its own JVM, loads both over loopback with the same client and
 * prints requests per second, p99 latency and their ratios, and the time from process start to the
 * first successful response.
 *
 * <p>Usage (from the repository root, after {@code ./mvnw install -DskipTests}): {@code java -cp
 * bench/target/benchmarks.jar org.mirage4j.bench.HttpFigures [requests] [clients]}.
 */
public final class HttpFigures {

  private HttpFigures() {}

  record Load(double requestsPerSecond, double p99Millis, long startupMillis) {}

  /** Entry point. */
  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    Path sample = Path.of("samples/static-website");
    Path jar = sample.resolve("target/static_website.jar");
    if (!jar.toFile().isFile()) {
      System.err.println("build the sample first: ./mvnw install -DskipTests -pl samples/static-website -am");
      System.exit(2);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    int port = freePort();
    Load unikernel = measure(
        new ProcessBuilder(java, "-jar", jar.toString(), "--port=" + port), port, requests, clients);
    int plainPort = freePort();
    Load plain = measure(
        // TCP_NODELAY, as the unikernel's server sets it: without it the JDK server stalls on
        // Nagle's algorithm against delayed ACKs and the comparison would say nothing
        new ProcessBuilder(java, "-Dsun.net.httpserver.nodelay=true", "-cp", System.getProperty("java.class.path"),
            PlainStaticServer.class.getName(),
            sample.resolve("htdocs").toString(), Integer.toString(plainPort)),
        plainPort, requests, clients);

    System.out.printf("%n%d requests of /index.html and /style.css, %d concurrent keep-alive clients, loopback%n", requests, clients);
    System.out.printf("  static-website unikernel:   %9.0f req/s   p99 %7.2f ms   first response after %5d ms%n",
        unikernel.requestsPerSecond(), unikernel.p99Millis(), unikernel.startupMillis());
    System.out.printf("  com.sun.net.httpserver:     %9.0f req/s   p99 %7.2f ms   first response after %5d ms%n",
        plain.requestsPerSecond(), plain.p99Millis(), plain.startupMillis());
    System.out.printf("  ratio unikernel / plain:    %9.2f x req/s  %6.2f x p99   %8.2f x start-up%n",
        unikernel.requestsPerSecond() / plain.requestsPerSecond(),
        unikernel.p99Millis() / plain.p99Millis(),
        (double) unikernel.startupMillis() / plain.startupMillis());
  }

  private static Load measure(ProcessBuilder pb, int port, int requests, int clients) throws Exception {
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long started = System.nanoTime();
    Process process = pb.start();
    try {
      URI index = URI.create("http://127.0.0.1:" + port + "/index.html");
      long startup = -1;
      for (int attempt = 0; attempt < 3000 && startup < 0; attempt++) {
        try {
          if (client.send(HttpRequest.newBuilder(index).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            startup = (System.nanoTime() - started) / 1_000_000;
          }
        } catch (IOException notYet) {
          Thread.sleep(5);
        }
      }
      if (startup < 0) {
        throw new IllegalStateException("the server did not answer");
      }
      // warm up, then measure
      run(client, port, Math.min(requests, 5_000), clients);
      long t0 = System.nanoTime();
      long[] latencies = run(client, port, requests, clients);
      double seconds = (System.nanoTime() - t0) / 1e9;
      Arrays.sort(latencies);
      double p99 = latencies[(int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)] / 1e6;
      return new Load(requests / seconds, p99, startup);
    } finally {
      process.destroy();
      process.waitFor();
    }
  }

  private static long[] run(HttpClient client, int port, int requests, int clients) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<long[]>> parts = new ArrayList<>();
    int each = requests / clients;
    for (int c = 0; c < clients; c++) {
      parts.add(pool.submit(() -> {
        long[] lat = new long[each];
        for (int i = 0; i < each; i++) {
          URI uri = URI.create("http://127.0.0.1:" + port + (i % 2 == 0 ? "/index.html" : "/style.css"));
          long t = System.nanoTime();
          HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
          if (r.statusCode() != 200) {
            throw new IllegalStateException(uri + " answered " + r.statusCode());
          }
          lat[i] = System.nanoTime() - t;
        }
        return lat;
      }));
    }
    long[] all = new long[each * clients];
    int k = 0;
    for (Future<long[]> f : parts) {
      for (long l : f.get()) {
        all[k++] = l;
      }
    }
    pool.shutdown();
    return all;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
