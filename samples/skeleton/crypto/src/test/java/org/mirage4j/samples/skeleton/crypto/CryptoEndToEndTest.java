package org.mirage4j.samples.skeleton.crypto;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

/**
 * As the original: ten messages in its order. The random ones have the original's shape; the
 * digests and the ChaCha20-Poly1305 output are the known values (computed apart from the JDK, with
 * ohex's hexdump layout); the RSA key has the bits asked for and its signature verifies.
 */
class CryptoEndToEndTest {

  private static final Pattern LINE =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z: \\[(\\w+)\\] \\[application\\] (.*)$");

  /** One row of a hexdump: offset, 16 bytes in pairs with a gap after eight, the characters. */
  private static final Pattern ROW = Pattern.compile(
      "([0-9a-f]{6})  ((?:[0-9a-f]{4} ){4}) ((?:[0-9a-f]{4} ){4}) ([ -~]{16})");

  @Test
  void runsTheOriginalsStepsInOrder(@TempDir Path dir) throws Exception {
    // a 2048-bit key: the same steps, a shorter wait than the original's 4096 bits
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--rsa-bits=2048")) {
      assertThat(p.awaitExit()).isEqualTo(0);
      List<String> messages = p.stdout().stream().map(LINE::matcher).filter(Matcher::matches)
          .map(m -> m.group(1) + " " + m.group(2)).toList();
      assertThat(p.stdout()).hasSize(10);
      assertThat(messages).hasSize(10);
      assertThat(messages.get(0)).matches("INFO using \\S+, entropy sources: \\S+");
      assertThat(messages.get(1))
          .matches("INFO Random numbers: 0x[0-9A-F]{2} 0x[0-9A-F]{4} 0x[0-9A-F]{8} 0x[0-9A-F]{16}");
      String random = messages.get(2);
      assertThat(random).startsWith("INFO 64 byte random: ");
      String dump = random.substring("INFO 64 byte random: ".length());
      assertThat(dump).hasLength(4 * 66 + 3); // four rows of 66 characters, a space between rows
      for (int i = 0; i < 4; i++) {
        Matcher row = ROW.matcher(dump.substring(67 * i, 67 * i + 66));
        assertThat(row.matches()).isTrue();
        assertThat(Integer.parseInt(row.group(1), 16)).isEqualTo(16 * i);
        String hex = (row.group(2) + row.group(3)).replace(" ", "");
        StringBuilder chars = new StringBuilder();
        for (int b = 0; b < 16; b++) {
          int c = Integer.parseInt(hex.substring(2 * b, 2 * b + 2), 16);
          chars.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
        assertThat(row.group(4)).isEqualTo(chars.toString());
      }
      assertThat(messages.subList(3, 9)).containsExactly(
          "INFO MD5 of the empty string 000000  d41d 8cd9 8f00 b204  e980 0998 ecf8 427e  ..............B~",
          "INFO SHA1 of the empty string 000000  da39 a3ee 5e6b 4b0d  3255 bfef 9560 1890  .9..^kK.2U...`.. 000010  afd8 0709                                 ....",
          "INFO SHA256 of the empty string 000000  e3b0 c442 98fc 1c14  9afb f4c8 996f b924  ...B.........o.$ 000010  27ae 41e4 649b 934c  a495 991b 7852 b855  '.A.d..L....xR.U",
          "INFO SHA384 of the empty string 000000  38b0 60a7 51ac 9638  4cd9 327e b1b1 e36a  8.`.Q..8L.2~...j 000010  21fd b711 14be 0743  4c0c c7bf 63f6 e1da  !......CL...c... 000020  274e debf e76f 65fb  d51a d2f1 4898 b95b  'N...oe.....H..[",
          "INFO SHA512 of the empty string 000000  cf83 e135 7eef b8bd  f154 2850 d66d 8007  ...5~....T(P.m.. 000010  d620 e405 0b57 15dc  83f4 a921 d36c e9ce  . ...W.....!.l.. 000020  47d0 d13c 5d85 f2b0  ff83 18d2 877e ec2f  G..<]........~./ 000030  63b9 31bd 4741 7a81  a538 327a f927 da3e  c.1.GAz..82z.'.>",
          "INFO Chacha20/Poly1305 of 32*0, key 32*0, nonce 12*0: 000000  9f07 e7be 5551 387a  98ba 977c 732d 080d  ....UQ8z...|s-.. 000010  cb0f 29a0 48e3 6569  12c6 533e 32ee 7aed  ..).H.ei..S>2.z. 000020  95f8 2bfa e8f5 2221  7f8b 7db3 9b40 ad06  ..+...\"!..}..@..").inOrder();
      assertThat(messages.get(9)).isEqualTo("INFO Generated a RSA key of 2048 bits (sign + verify true)");
    }
  }
}
