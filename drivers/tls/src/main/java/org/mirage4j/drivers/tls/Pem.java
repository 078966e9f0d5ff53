package org.mirage4j.drivers.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Certificates and private keys in PEM (RFC 7468), as {@code openssl} writes them.
 *
 * <p>Certificates: {@code CERTIFICATE} blocks, the server's first and then its chain. Private keys:
 * {@code PRIVATE KEY} (PKCS #8: RSA, EC, Ed25519, Ed448), {@code RSA PRIVATE KEY} (PKCS #1) and
 * {@code EC PRIVATE KEY} (SEC 1, with its curve); encrypted keys are refused with the command that
 * decrypts them. Every problem is an {@link IllegalArgumentException} whose message names the file
 * and what is wrong with it.
 */
public final class Pem {
  private Pem() {}

  private static final byte[] RSA_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
  private static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

  /** One block: its label ({@code CERTIFICATE}) and its decoded bytes. */
  record Block(String label, byte[] der, boolean encrypted) {}

  /** The blocks of a PEM text, in order; text outside blocks is ignored. */
  static List<Block> blocks(byte[] pem, String where) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    List<Block> blocks = new ArrayList<>();
    int at = 0;
    while (true) {
      int begin = text.indexOf("-----BEGIN ", at);
      if (begin < 0) {
        return blocks;
      }
      int labelEnd = text.indexOf("-----", begin + 11);
      if (labelEnd < 0) {
        throw new IllegalArgumentException(where + ": a PEM block is not closed");
      }
      String label = text.substring(begin + 11, labelEnd);
      String endMarker = "-----END " + label + "-----";
      int end = text.indexOf(endMarker, labelEnd);
      if (end < 0) {
        throw new IllegalArgumentException(where + ": the PEM block " + label + " has no END line");
      }
      String body = text.substring(labelEnd + 5, end);
      boolean encrypted = label.startsWith("ENCRYPTED") || body.contains("Proc-Type: 4,ENCRYPTED");
      StringBuilder b64 = new StringBuilder();
      for (String line : body.split("\r?\n")) {
        if (!line.contains(":")) {
          b64.append(line.strip());
        }
      }
      byte[] der;
      try {
        der = Base64.getDecoder().decode(b64.toString());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": the PEM block " + label + " is not valid base64");
      }
      blocks.add(new Block(label, der, encrypted));
      at = end + endMarker.length();
    }
  }

  /**
   * The certificates of a PEM file, in order.
   *
   * @throws IllegalArgumentException if there is none, or one does not parse
   */
  public static List<X509Certificate> certificates(byte[] pem, String where) {
    List<X509Certificate> certs = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("no X.509 support in this JDK", e);
    }
    for (Block b : blocks(pem, where)) {
      if (!b.label.equals("CERTIFICATE")) {
        continue;
      }
      try {
        certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der)));
      } catch (CertificateException e) {
        throw new IllegalArgumentException(where + ": a CERTIFICATE block does not parse: " + e.getMessage());
      }
    }
    if (certs.isEmpty()) {
      throw new IllegalArgumentException(where + ": no certificate in it (expected -----BEGIN CERTIFICATE-----)");
    }
    return certs;
  }

  /**
   * The private key of a PEM file.
   *
   * @throws IllegalArgumentException if there is no key, it is encrypted, or it does not parse
   */
  public static PrivateKey privateKey(byte[] pem, String where) {
    for (Block b : blocks(pem, where)) {
      if (b.encrypted) {
        throw new IllegalArgumentException(
            where + ": the private key is encrypted; decrypt it with: openssl pkey -in " + where + " -out plain.key");
      }
      switch (b.label) {
        case "PRIVATE KEY" -> {
          return pkcs8(b.der, where);
        }
        case "RSA PRIVATE KEY" -> {
          return pkcs8(Der.sequence(Der.integer(0), Der.sequence(Der.oid(RSA_OID), Der.nul()), Der.octets(b.der)), where);
        }
        case "EC PRIVATE KEY" -> {
          byte[] curve = Der.ecCurveOf(b.der);
          if (curve == null) {
            throw new IllegalArgumentException(where + ": the EC private key does not name its curve");
          }
          return pkcs8(Der.sequence(Der.integer(0), Der.sequence(Der.oid(EC_OID), curve), Der.octets(b.der)), where);
        }
        default -> {
          // certificates, EC PARAMETERS: not a key
        }
      }
    }
    throw new IllegalArgumentException(
        where + ": no private key in it (expected -----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  private static PrivateKey pkcs8(byte[] der, String where) {
    for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(where + ": the private key does not parse as RSA, EC or EdDSA");
  }

  /**
   * Checks that {@code key} belongs to {@code certificate} by signing with one and verifying with
   * the other.
   *
   * @throws IllegalArgumentException if it does not
   */
  public static void checkPair(PrivateKey key, X509Certificate certificate, String where) {
    PublicKey pub = certificate.getPublicKey();
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
          default -> null;
        };
    if (algorithm == null) {
      return; // nothing simple to check with
    }
    boolean ok;
    try {
      byte[] data = new byte[32];
      new SecureRandom().nextBytes(data);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(data);
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(pub);
      verifier.update(data);
      ok = verifier.verify(sig);
    } catch (GeneralSecurityException e) {
      ok = false;
    }
    if (!ok) {
      throw new IllegalArgumentException(
          where + ": the private key does not belong to the certificate (" + certificate.getSubjectX500Principal() + ")");
    }
  }

  /** Just enough DER to wrap traditional keys in PKCS #8. */
  static final class Der {
    private Der() {}

    static byte[] tlv(int tag, byte[]... parts) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (byte[] p : parts) {
        body.writeBytes(p);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write(tag);
      int n = body.size();
      if (n < 0x80) {
        out.write(n);
      } else {
        byte[] len = java.math.BigInteger.valueOf(n).toByteArray();
        int skip = len[0] == 0 ? 1 : 0;
        out.write(0x80 | (len.length - skip));
        out.write(len, skip, len.length - skip);
      }
      out.writeBytes(body.toByteArray());
      return out.toByteArray();
    }

    static byte[] sequence(byte[]... parts) {
      return tlv(0x30, parts);
    }

    static byte[] integer(int v) {
      return tlv(0x02, new byte[] {(byte) v});
    }

    static byte[] oid(byte[] content) {
      return tlv(0x06, content);
    }

    static byte[] nul() {
      return new byte[] {0x05, 0x00};
    }

    static byte[] octets(byte[] content) {
      return tlv(0x04, content);
    }

    /**
     * The whole OID element (tag and length included) of the curve in a SEC 1 {@code
     * ECPrivateKey}: {@code SEQUENCE { INTEGER 1, OCTET STRING, [0] OID, [1] BIT STRING }}; null if
     * absent or malformed.
     */
    static byte[] ecCurveOf(byte[] sec1) {
      try {
        int[] at = {0};
        if (sec1[at[0]++] != 0x30) {
          return null;
        }
        int seqLen = length(sec1, at);
        int end = at[0] + seqLen;
        while (at[0] < end) {
          int tag = sec1[at[0]++] & 0xff;
          int len = length(sec1, at);
          if (tag == 0xa0) {
            int start = at[0];
            if (sec1[start] != 0x06) {
              return null;
            }
            return java.util.Arrays.copyOfRange(sec1, start, start + len);
          }
          at[0] += len;
        }
        return null;
      } catch (ArrayIndexOutOfBoundsException e) {
        return null;
      }
    }

    private static int length(byte[] der, int[] at) {
      int first = der[at[0]++] & 0xff;
      if (first < 0x80) {
        return first;
      }
      int n = first & 0x7f;
      int len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[at[0]++] & 0xff);
      }
      return len;
    }
  }
}
