package org.mirage4j.samples.skeleton.crypto;

import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;
import java.security.Security;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.mirage4j.api.Job;
import org.mirage4j.api.RandomSource;

/**
 * The original's steps, in its order and with its messages: where it uses mirage-crypto, digestif
 * and mirage-crypto-pk, this uses the JDK's {@code MessageDigest}, {@code Cipher}, {@code
 * KeyPairGenerator} and {@code Signature}; every random byte comes from the random device.
 */
public final class CryptoTest implements Job {

  private static final System.Logger LOG = System.getLogger("application");

  private final RandomSource random;
  private final int rsaBits;

  /** The wiring passes the random device and {@code --rsa-bits}. */
  public CryptoTest(RandomSource random, long rsaBits) {
    this.random = random;
    this.rsaBits = Math.toIntExact(rsaBits);
  }

  @Override
  public void start() throws GeneralSecurityException {
    LOG.log(Level.INFO, "using " + new SecureRandom().getAlgorithm() + ", entropy sources: "
        + Security.getProperty("securerandom.source"));
    ByteBuffer r = ByteBuffer.wrap(bytes(1 + 2 + 4 + 8));
    LOG.log(Level.INFO, String.format("Random numbers: 0x%02X 0x%04X 0x%08X 0x%016X",
        r.get() & 0xff, r.getShort() & 0xffff, r.getInt(), r.getLong()));
    LOG.log(Level.INFO, "64 byte random: " + hexdump(bytes(64)));
    for (String[] d : new String[][] {{"MD5", "MD5"}, {"SHA1", "SHA-1"}, {"SHA256", "SHA-256"},
        {"SHA384", "SHA-384"}, {"SHA512", "SHA-512"}}) {
      byte[] digest = MessageDigest.getInstance(d[1]).digest(new byte[0]);
      LOG.log(Level.INFO, d[0] + " of the empty string " + hexdump(digest));
    }
    byte[] n = new byte[32];
    Cipher chacha = Cipher.getInstance("ChaCha20-Poly1305");
    chacha.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(n, "ChaCha20"), new IvParameterSpec(new byte[12]));
    LOG.log(Level.INFO, "Chacha20/Poly1305 of 32*0, key 32*0, nonce 12*0: " + hexdump(chacha.doFinal(n)));
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(rsaBits, new DeviceRandom(random));
    KeyPair key = rsa.generateKeyPair();
    Signature signer = Signature.getInstance("SHA256withRSA"); // PKCS#1 v1.5, as PKCS1.sign
    signer.initSign(key.getPrivate(), new DeviceRandom(random));
    signer.update(n);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(key.getPublic());
    verifier.update(n);
    boolean verified = verifier.verify(signature);
    LOG.log(Level.INFO, "Generated a RSA key of " + ((RSAPrivateCrtKey) key.getPrivate()).getModulus().bitLength()
        + " bits (sign + verify " + verified + ")");
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.fill(b);
    return b;
  }

  /**
   * ohex's {@code pp_hexdump ()}: rows of 16 bytes, each an offset, the bytes in pairs with a gap
   * after eight, and the printable ones; a line break after each row (which the log line shows as
   * a space), none after the last.
   */
  static String hexdump(byte[] s) {
    StringBuilder out = new StringBuilder();
    for (int idx = 0; idx < s.length; idx++) {
      if (idx % 16 == 0) {
        out.append(String.format("%06x  ", idx));
      }
      out.append(String.format("%02x", s[idx] & 0xff));
      if (idx % 2 == 1) {
        out.append(' ');
      }
      if (idx % 8 == 7) {
        out.append(' ');
      }
      if (idx % 16 == 15) {
        chars(out, s, idx - 15, 16);
        out.append('\n');
      }
    }
    int pad = (16 - s.length % 16) % 16;
    if (pad > 0) {
      out.append(" ".repeat(pad * 2 + (pad + 1) / 2 + (pad > 8 ? 1 : 0) + 1));
      chars(out, s, s.length - s.length % 16, s.length % 16);
      out.append('\n');
    }
    if (out.length() > 0 && out.charAt(out.length() - 1) == '\n') {
      out.setLength(out.length() - 1);
    }
    return out.toString();
  }

  private static void chars(StringBuilder out, byte[] s, int from, int count) {
    for (int i = from; i < from + count; i++) {
      int c = s[i] & 0xff;
      out.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
    }
  }

  /** The random device as the {@code SecureRandom} the JDK's key generation and signing take. */
  static final class DeviceRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;

    DeviceRandom(RandomSource source) {
      super(new Spi(source), null);
    }

    private static final class Spi extends SecureRandomSpi {
      private static final long serialVersionUID = 1L;
      private final transient RandomSource source;

      Spi(RandomSource source) {
        this.source = source;
      }

      @Override
      protected void engineSetSeed(byte[] seed) {
        // the device seeds itself
      }

      @Override
      protected void engineNextBytes(byte[] bytes) {
        source.fill(bytes);
      }

      @Override
      protected byte[] engineGenerateSeed(int numBytes) {
        byte[] b = new byte[numBytes];
        source.fill(b);
        return b;
      }
    }
  }
}
