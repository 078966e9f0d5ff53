package org.mirage4j.drivers.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mirage4j.host.HostTools;

/**
 * A certificate authority and a server certificate signed by it, made with Debian's {@code openssl}
 * in a directory of the test's: {@code ca.pem}, {@code server.pem} (the server's certificate, then
 * the CA's), {@code server.key} (PKCS #8), valid for {@code localhost} and {@code 127.0.0.1}.
 * Tests that need it skip with a reason when {@code openssl} is missing ({@code .ci/run} installs
 * it).
 */
public final class TestCertificates {

  /** The directory holding the files. */
  public final Path dir;
  /** The CA's certificate: what a client trusts. */
  public final Path ca;
  /** The server's certificate chain. */
  public final Path certificate;
  /** The server's private key. */
  public final Path key;

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.ca = dir.resolve("ca.pem");
    this.certificate = dir.resolve("server.pem");
    this.key = dir.resolve("server.key");
  }

  /** Why {@code openssl} cannot be run here (installed first if it may be), or null if it can. */
  public static synchronized String opensslUnavailable() {
    if (opensslChecked == null) {
      String why = HostTools.unavailable("openssl", "openssl");
      opensslChecked = why == null ? "" : why;
    }
    return opensslChecked.isEmpty() ? null : opensslChecked;
  }

  /** What {@link #opensslUnavailable()} found ("" for: it is there), once per test JVM. */
  private static String opensslChecked;

  /**
   * Makes the CA and the server credentials in {@code dir}.
   *
   * @param keyType {@code ec} (P-256, fast) or {@code rsa} (2048 bits)
   */
  public static TestCertificates make(Path dir, String keyType) throws IOException {
    Files.createDirectories(dir);
    List<String> newKey = keyType.equals("rsa")
        ? List.of("-newkey", "rsa:2048")
        : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
    TestCertificates t = new TestCertificates(dir);
    List<String> ca = new ArrayList<>(List.of("openssl", "req", "-x509"));
    ca.addAll(newKey);
    ca.addAll(List.of("-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=mirage4j test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
    check(dir, ca);
    List<String> csr = new ArrayList<>(List.of("openssl", "req"));
    csr.addAll(newKey);
    csr.addAll(List.of("-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"));
    check(dir, csr);
    Files.writeString(dir.resolve("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
            + "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
    check(dir, List.of("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "leaf.pem", "-days", "2", "-extfile", "server.ext"));
    Files.writeString(t.certificate,
        Files.readString(dir.resolve("leaf.pem")) + Files.readString(t.ca));
    return t;
  }

  /** Runs {@code openssl} with {@code args} in the directory; fails on a non-zero status. */
  public void openssl(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    check(dir, command);
  }

  private static void check(Path dir, List<String> command) throws IOException {
    int status = run(dir, command.toArray(String[]::new));
    if (status != 0) {
      throw new IOException(String.join(" ", command) + " failed with status " + status + ": "
          + Files.readString(dir.resolve("openssl.log"), StandardCharsets.UTF_8));
    }
  }

  private static int run(Path dir, String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Path log = dir.resolve("openssl.log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return p.exitValue();
  }
}
