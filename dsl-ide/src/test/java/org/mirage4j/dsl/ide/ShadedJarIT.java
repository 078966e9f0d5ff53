package org.mirage4j.dsl.ide;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded language-server jar, as an editor runs it: {@code java -jar ...-ls.jar}, LSP over
 * stdio. Runs in the integration-test phase, after the jar is built.
 */
class ShadedJarIT {

  static Path jar;

  @TempDir Path root;

  @BeforeAll
  static void findJar() {
    String p = System.getProperty("mirage4j.ls.jar");
    assertWithMessage("system property mirage4j.ls.jar").that(p).isNotNull();
    jar = Path.of(p);
    assertWithMessage("%s exists", jar).that(Files.isRegularFile(jar)).isTrue();
  }

  @Test
  void mergesServiceFilesAndPluginProperties() throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      String setups = read(zip, "META-INF/services/org.eclipse.xtext.ISetup");
      assertThat(setups).contains("org.mirage4j.dsl.ide.MirageIdeSetup");
      String props = read(zip, "plugin.properties");
      // keys of EMF ecore and of Xtext bundles, appended rather than one bundle's file winning
      assertThat(props).contains("_UI_DiagnosticRoot_diagnostic");
      assertThat(props.split("\n").length).isGreaterThan(50);
      assertThat(read(zip, "META-INF/MANIFEST.MF")).contains("Main-Class: org.mirage4j.dsl.ide.server.MirageLanguageServer");
      assertThat(zip.getEntry("org/mirage4j/dsl/std.mirage")).isNotNull();
      // the language's value types (addresses, prefixes), which the checker parses
      assertThat(zip.getEntry("org/mirage4j/api/Ipv4Address.class")).isNotNull();
      assertThat(zip.stream().noneMatch(e -> e.getName().matches("META-INF/[^/]+\\.(SF|RSA|DSA)"))).isTrue();
    }
  }

  private static String read(ZipFile zip, String name) throws IOException {
    var e = zip.getEntry(name);
    assertWithMessage("%s in %s", name, jar).that(e).isNotNull();
    try (InputStream in = zip.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void startsOverStdioAndPublishesDiagnostics() throws Exception {
    Path config = root.resolve("config.mirage");
    Files.writeString(config, "unikernel u\ndevice c = default_consol\njob org.example.App(c)\n");
    Process p =
        new ProcessBuilder(java(), "-jar", jar.toString())
            .directory(root.toFile())
            .redirectError(root.resolve("stderr.txt").toFile())
            .start();
    try {
      OutputStream in = p.getOutputStream();
      InputStream out = p.getInputStream();
      String rootUri = root.toUri().toString();
      send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"processId\":null,\"rootUri\":\""
          + rootUri + "\",\"capabilities\":{}}}");
      String init = receiveUntil(out, "\"id\":1");
      assertThat(init).contains("\"hoverProvider\"");
      send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
      String uri = config.toUri().toString();
      send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\""
          + uri + "\",\"languageId\":\"mirage\",\"version\":1,\"text\":\"unikernel u\\ndevice c = default_consol\\njob org.example.App(c)\\n\"}}}");
      // JSON escapes the quotes (\u0027): look for the words
      String diagnostics = receiveUntil(out, "did you mean");
      assertThat(diagnostics).contains("textDocument/publishDiagnostics");
      assertThat(diagnostics).contains("default_console");
      send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\",\"params\":null}");
      receiveUntil(out, "\"id\":2");
      send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\",\"params\":null}");
      assertWithMessage("the server exits after exit").that(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(0);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void printsItsVersion() throws Exception {
    Process p =
        new ProcessBuilder(java(), "-jar", jar.toString(), "--version")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(0);
    // the version the jar was built from, not a placeholder
    String expected = jar.getFileName().toString().replaceAll("^mirage4j-dsl-ide-(.*)-ls\\.jar$", "$1");
    assertThat(out.strip()).isEqualTo("mirage4j-ls " + expected);
  }

  @Test
  void socketModeRefusesAWildcardAddress() throws Exception {
    Process p =
        new ProcessBuilder(java(), "-jar", jar.toString(), "--socket", "0", "--host", "0.0.0.0")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(64);
    assertThat(output).contains("refusing to bind to 0.0.0.0");
  }

  @Test
  void socketModeListensOnLoopback() throws Exception {
    Process p =
        new ProcessBuilder(java(), "-jar", jar.toString(), "--socket", "0")
            .redirectErrorStream(true)
            .start();
    try {
      String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertThat(line).matches("mirage4j-ls: listening on 127\\.0\\.0\\.1:\\d+");
    } finally {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void send(OutputStream out, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    out.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  private static final Pattern LENGTH = Pattern.compile("Content-Length: (\\d+)");

  /**
   * Reads messages until one contains {@code needle}; returns everything read. Gives up after two
   * minutes (the caller then kills the server, which ends a blocked read).
   */
  private static String receiveUntil(InputStream in, String needle) throws Exception {
    var f = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return receive(in, needle);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try {
      return f.get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no message with " + needle + " within 120 s");
    }
  }

  private static String receive(InputStream in, String needle) throws IOException {
    StringBuilder all = new StringBuilder();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      ByteArrayOutputStream header = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != -1) {
        header.write(c);
        String h = header.toString(StandardCharsets.US_ASCII);
        if (h.endsWith("\r\n\r\n")) {
          break;
        }
      }
      if (c == -1) {
        throw new IOException("the server closed its output; read so far: " + all);
      }
      Matcher m = LENGTH.matcher(header.toString(StandardCharsets.US_ASCII));
      assertWithMessage("header %s", header).that(m.find()).isTrue();
      byte[] body = in.readNBytes(Integer.parseInt(m.group(1)));
      String message = new String(body, StandardCharsets.UTF_8);
      all.append(message).append('\n');
      if (message.contains(needle)) {
        return all.toString();
      }
    }
    throw new AssertionError("no message with " + needle + " in: " + all);
  }
}
