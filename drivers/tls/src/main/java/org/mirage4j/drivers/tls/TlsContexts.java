package org.mirage4j.drivers.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Enumeration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.mirage4j.api.KvException;
import org.mirage4j.api.KvRo;

/**
 * The {@link SSLContext}s of TLS servers and clients: a server's certificate chain and key from
 * PEM (as MirageOS's {@code static_website_tls} reads them from a {@code kv_ro}), a client's trusted
 * certificates (the JDK's, and more from PEM).
 */
public final class TlsContexts {
  private TlsContexts() {}

  /** The key of the certificate chain in a store of server credentials. */
  public static final String CERTIFICATE = "server.pem";
  /** The key of the private key in a store of server credentials. */
  public static final String PRIVATE_KEY = "server.key";

  private static final char[] NO_PASSWORD = new char[0];

  /**
   * A server context from {@code server.pem} (the certificate, then its chain) and {@code
   * server.key} (the private key, unencrypted) in {@code store}.
   *
   * @throws IOException naming the file and the problem: missing, not PEM, a key that does not
   *     belong to the certificate
   */
  public static SSLContext server(KvRo store) throws IOException {
    byte[] cert = read(store, CERTIFICATE);
    byte[] key = read(store, PRIVATE_KEY);
    return server(cert, CERTIFICATE, key, PRIVATE_KEY);
  }

  private static byte[] read(KvRo store, String key) throws IOException {
    try {
      return store.get(key);
    } catch (KvException.NotFound e) {
      throw new IOException(
          "no '" + key + "' in " + store + ": the TLS store needs " + CERTIFICATE + " (the certificate chain, PEM) and "
              + PRIVATE_KEY + " (its private key, PEM)");
    }
  }

  /** A server context from PEM bytes; {@code certWhere} and {@code keyWhere} name them in messages. */
  public static SSLContext server(byte[] certPem, String certWhere, byte[] keyPem, String keyWhere) throws IOException {
    try {
      List<X509Certificate> chain = Pem.certificates(certPem, certWhere);
      PrivateKey key = Pem.privateKey(keyPem, keyWhere);
      Pem.checkPair(key, chain.get(0), keyWhere);
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, NO_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the TLS credentials " + certWhere + ", " + keyWhere + ": " + e.getMessage(), e);
    }
  }

  /**
   * A client context that trusts the JDK's certificate authorities and, in addition, the
   * certificates in {@code extraPem} (may be empty).
   */
  public static SSLContext client(byte[] extraPem, String where) throws IOException {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      KeyStore system = systemTrust();
      if (system != null) {
        for (Enumeration<String> e = system.aliases(); e.hasMoreElements(); ) {
          String alias = e.nextElement();
          Certificate c = system.getCertificate(alias);
          if (c != null) {
            trust.setCertificateEntry("system-" + alias, c);
          }
        }
      }
      if (extraPem.length > 0) {
        int i = 0;
        for (X509Certificate c : Pem.certificates(extraPem, where)) {
          trust.setCertificateEntry("extra-" + i++, c);
        }
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up the trusted certificates: " + e.getMessage(), e);
    }
  }

  /** The JDK's trusted certificates ({@code jssecacerts} or {@code cacerts}), or null if unreadable. */
  private static KeyStore systemTrust() {
    Path security = Path.of(System.getProperty("java.home"), "lib", "security");
    for (Path p : List.of(security.resolve("jssecacerts"), security.resolve("cacerts"))) {
      if (Files.isReadable(p)) {
        try (InputStream in = Files.newInputStream(p)) {
          KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
          ks.load(in, null);
          return ks;
        } catch (IOException | GeneralSecurityException e) {
          // try the next one
        }
      }
    }
    return null;
  }
}
