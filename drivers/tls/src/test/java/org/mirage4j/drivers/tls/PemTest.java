package org.mirage4j.drivers.tls;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys and certificates in every PEM form openssl writes, and a clear message for every mistake. */
class PemTest {

  @TempDir static Path dir;
  static TestCertificates ec;
  static TestCertificates rsa;

  @BeforeAll
  static void make() throws Exception {
    Assumptions.assumeTrue(TestCertificates.opensslUnavailable() == null, TestCertificates::opensslUnavailable);
    ec = TestCertificates.make(dir.resolve("ec"), "ec");
    rsa = TestCertificates.make(dir.resolve("rsa"), "rsa");
    rsa.openssl("rsa", "-in", "server.key", "-traditional", "-out", "pkcs1.key");
    ec.openssl("ec", "-in", "server.key", "-out", "sec1.key");
    ec.openssl("pkey", "-in", "server.key", "-aes256", "-passout", "pass:secret", "-out", "encrypted.key");
  }

  static byte[] bytes(Path p) throws IOException {
    return Files.readAllBytes(p);
  }

  @Test
  void readsKeysInEveryFormAndChecksThemAgainstTheCertificate() throws Exception {
    for (var c : List.of(
        List.of(rsa.certificate, rsa.key, "RSA"),
        List.of(rsa.certificate, rsa.dir.resolve("pkcs1.key"), "RSA"),
        List.of(ec.certificate, ec.key, "EC"),
        List.of(ec.certificate, ec.dir.resolve("sec1.key"), "EC"))) {
      Path cert = (Path) c.get(0);
      Path keyFile = (Path) c.get(1);
      assertThat(new String(bytes(keyFile), StandardCharsets.US_ASCII)).contains("-----BEGIN ");
      PrivateKey key = Pem.privateKey(bytes(keyFile), keyFile.getFileName().toString());
      assertThat(key.getAlgorithm()).isEqualTo(c.get(2));
      List<X509Certificate> chain = Pem.certificates(bytes(cert), "server.pem");
      assertThat(chain).hasSize(2); // the server's, then the CA's
      assertThat(chain.get(0).getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
      Pem.checkPair(key, chain.get(0), "server.key");
      TlsContexts.server(bytes(cert), "server.pem", bytes(keyFile), "server.key");
    }
  }

  @Test
  void mistakesAreNamed() throws Exception {
    IOException mismatch = assertThrows(IOException.class,
        () -> TlsContexts.server(bytes(ec.certificate), "server.pem", bytes(rsa.key), "server.key"));
    assertThat(mismatch).hasMessageThat()
        .isEqualTo("server.key: the private key does not belong to the certificate (CN=localhost)");
    IOException encrypted = assertThrows(IOException.class,
        () -> TlsContexts.server(bytes(ec.certificate), "server.pem", bytes(ec.dir.resolve("encrypted.key")), "server.key"));
    assertThat(encrypted).hasMessageThat().contains("server.key: the private key is encrypted; decrypt it with: openssl pkey");
    IOException noKey = assertThrows(IOException.class,
        () -> TlsContexts.server(bytes(ec.certificate), "server.pem", bytes(ec.certificate), "server.key"));
    assertThat(noKey).hasMessageThat().startsWith("server.key: no private key in it");
    IOException noCert = assertThrows(IOException.class,
        () -> TlsContexts.server(bytes(ec.key), "server.pem", bytes(ec.key), "server.key"));
    assertThat(noCert).hasMessageThat().startsWith("server.pem: no certificate in it");
    IOException garbage = assertThrows(IOException.class,
        () -> TlsContexts.server("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII),
            "server.pem", bytes(ec.key), "server.key"));
    assertThat(garbage).hasMessageThat().contains("server.pem");
    IOException unclosed = assertThrows(IOException.class,
        () -> TlsContexts.server("-----BEGIN CERTIFICATE-----\nAAAA\n".getBytes(StandardCharsets.US_ASCII),
            "server.pem", bytes(ec.key), "server.key"));
    assertThat(unclosed).hasMessageThat().isEqualTo("server.pem: the PEM block CERTIFICATE has no END line");
  }
}
