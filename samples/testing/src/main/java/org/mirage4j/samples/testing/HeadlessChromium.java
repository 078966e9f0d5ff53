package org.mirage4j.samples.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.mirage4j.host.HostTools;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol (a WebSocket of {@code
 * java.net.http}, JSON by Gson): for tests that load a page the unikernel serves and look at it as
 * a browser does. One page, in a throw-away profile; {@link #close} ends the browser.
 *
 * <p>Chromium comes from Debian's {@code chromium} package, installed on demand as root by {@link
 * HostTools}; where it cannot be had, {@link #start} skips the test with the reason. Time limits
 * are safety nets for a hung browser, never measurements.
 */
public final class HeadlessChromium implements AutoCloseable {

  private static final Duration SAFETY_NET = Duration.ofSeconds(60);
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final List<String> console = Collections.synchronizedList(new ArrayList<>());

  private HeadlessChromium(Process process, Path profile, URI page) throws Exception {
    this.process = process;
    this.profile = profile;
    this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(page, new Listener())
        .get(SAFETY_NET.toSeconds(), TimeUnit.SECONDS);
    send("Page.enable", new JsonObject());
    send("Runtime.enable", new JsonObject());
  }

  /**
   * Starts Chromium headless with a window of {@code width} by {@code height} pixels, on a blank
   * page; skips the test (with the reason, printed) when Chromium cannot be had here.
   */
  public static HeadlessChromium start(int width, int height) throws Exception {
    String why = HostTools.unavailable("chromium", "chromium");
    if (why != null) {
      System.out.println("SKIPPED: headless Chromium: " + why);
      Assumptions.abort(why);
    }
    Path chromium = HostTools.find("chromium").orElseThrow();
    Path profile = Files.createTempDirectory("mirage4j-chromium");
    List<String> command = List.of(
        chromium.toString(),
        "--headless=new",
        "--no-sandbox", // tests run as root, where Chromium's sandbox refuses to start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--hide-scrollbars",
        "--mute-audio",
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height,
        "about:blank");
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<String> browserUrl = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          stderr.add(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            browserUrl.complete(m.group(1));
          }
        }
      } catch (IOException e) {
        // the browser ended
      }
      browserUrl.completeExceptionally(new IOException("chromium ended before it listened: " + stderr));
    }, "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      URI browser = URI.create(browserUrl.get(SAFETY_NET.toSeconds(), TimeUnit.SECONDS));
      URI page = pageTarget(browser);
      return new HeadlessChromium(process, profile, page);
    } catch (Exception e) {
      process.destroyForcibly();
      deleteTree(profile);
      throw e;
    }
  }

  /** The WebSocket of the blank page the browser opened, from its /json/list. */
  private static URI pageTarget(URI browser) throws Exception {
    URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + SAFETY_NET.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(list).timeout(SAFETY_NET).build(),
          HttpResponse.BodyHandlers.ofString());
      for (JsonElement e : JsonParser.parseString(r.body()).getAsJsonArray()) {
        JsonObject target = e.getAsJsonObject();
        if ("page".equals(target.get("type").getAsString()) && target.has("webSocketDebuggerUrl")) {
          return URI.create(target.get("webSocketDebuggerUrl").getAsString());
        }
      }
      Thread.sleep(100);
    }
    throw new TimeoutException("chromium opened no page within " + SAFETY_NET);
  }

  /** Loads {@code url} and waits until its {@code load} event has fired. */
  public void navigate(String url) throws Exception {
    JsonObject params = new JsonObject();
    params.addProperty("url", url);
    JsonObject result = send("Page.navigate", params);
    if (result.has("errorText")) {
      throw new IOException("chromium cannot load " + url + ": " + result.get("errorText").getAsString());
    }
    awaitTrue("document.readyState === 'complete'");
  }

  /**
   * Evaluates a JavaScript expression in the page (a promise is awaited) and returns its value as
   * JSON ({@code null} for {@code undefined}); a thrown exception fails with its text.
   */
  public JsonElement eval(String expression) throws Exception {
    JsonObject params = new JsonObject();
    params.addProperty("expression", expression);
    params.addProperty("returnByValue", true);
    params.addProperty("awaitPromise", true);
    JsonObject result = send("Runtime.evaluate", params);
    if (result.has("exceptionDetails")) {
      JsonObject details = result.getAsJsonObject("exceptionDetails");
      String text = details.has("exception") && details.getAsJsonObject("exception").has("description")
          ? details.getAsJsonObject("exception").get("description").getAsString()
          : details.get("text").getAsString();
      throw new AssertionError("in the page, " + expression + " threw: " + text);
    }
    JsonObject value = result.getAsJsonObject("result");
    return value.has("value") ? value.get("value") : null;
  }

  /** Waits until a JavaScript expression is true in the page (safety net: a minute). */
  public void awaitTrue(String expression) throws Exception {
    long deadline = System.nanoTime() + SAFETY_NET.toNanos();
    while (true) {
      JsonElement v = eval(expression);
      if (v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean() && v.getAsBoolean()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(expression + " is still not true after " + SAFETY_NET + "; console: " + console);
      }
      Thread.sleep(50);
    }
  }

  /** Presses and releases a key, as a user's keyboard does ({@code "ArrowRight"}, {@code "Space"}...). */
  public void press(String key, String code, int windowsKeyCode) throws Exception {
    for (String type : List.of("rawKeyDown", "keyUp")) {
      JsonObject params = new JsonObject();
      params.addProperty("type", type);
      params.addProperty("key", key);
      params.addProperty("code", code);
      params.addProperty("windowsVirtualKeyCode", windowsKeyCode);
      params.addProperty("nativeVirtualKeyCode", windowsKeyCode);
      send("Input.dispatchKeyEvent", params);
    }
  }

  /** Writes a PNG screenshot of the page's viewport to {@code file}. */
  public void screenshot(Path file) throws Exception {
    JsonObject params = new JsonObject();
    params.addProperty("format", "png");
    JsonObject result = send("Page.captureScreenshot", params);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(result.get("data").getAsString()));
  }

  /** What the page wrote to its console, and its uncaught exceptions, so far. */
  public List<String> console() {
    synchronized (console) {
      return List.copyOf(console);
    }
  }

  private JsonObject send(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    JsonObject message = new JsonObject();
    message.addProperty("id", id);
    message.addProperty("method", method);
    message.add("params", params);
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    pending.put(id, reply);
    socket.sendText(message.toString(), true).get(SAFETY_NET.toSeconds(), TimeUnit.SECONDS);
    JsonObject r;
    try {
      r = reply.get(SAFETY_NET.toSeconds(), TimeUnit.SECONDS);
    } finally {
      pending.remove(id);
    }
    if (r.has("error")) {
      throw new IOException(method + ": " + r.getAsJsonObject("error").get("message").getAsString());
    }
    return r.has("result") ? r.getAsJsonObject("result") : new JsonObject();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        JsonObject message = JsonParser.parseString(text.toString()).getAsJsonObject();
        text.setLength(0);
        if (message.has("id")) {
          CompletableFuture<JsonObject> reply = pending.get(message.get("id").getAsInt());
          if (reply != null) {
            reply.complete(message);
          }
        } else if (message.has("method")) {
          event(message.get("method").getAsString(), message.getAsJsonObject("params"));
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      pending.values().forEach(f -> f.completeExceptionally(error));
    }
  }

  private void event(String method, JsonObject params) {
    if (method.equals("Runtime.consoleAPICalled")) {
      StringBuilder line = new StringBuilder(params.get("type").getAsString()).append(':');
      for (JsonElement arg : params.getAsJsonArray("args")) {
        JsonObject a = arg.getAsJsonObject();
        line.append(' ').append(a.has("value") ? a.get("value").toString() : a.get("type").getAsString());
      }
      console.add(line.toString());
    } else if (method.equals("Runtime.exceptionThrown")) {
      JsonObject details = params.getAsJsonObject("exceptionDetails");
      console.add("exception: " + (details.has("exception") && details.getAsJsonObject("exception").has("description")
          ? details.getAsJsonObject("exception").get("description").getAsString()
          : details.get("text").getAsString()));
    }
  }

  @Override
  public void close() {
    try {
      socket.abort();
    } catch (RuntimeException e) {
      // closing anyway
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteTree(profile);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // a temporary profile left behind holds nothing of value
    }
  }
}
