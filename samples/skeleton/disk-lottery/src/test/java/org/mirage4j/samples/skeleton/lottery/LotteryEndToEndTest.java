package org.mirage4j.samples.skeleton.lottery;

import static com.google.common.truth.Truth.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.UnikernelProcess;

/**
 * As the original: an uninitialised disk exits 6, a bad slot 5; after a reset every game reads the
 * slot's high score, and what is left on the disk is the higher of it and the draw, checksummed.
 */
class LotteryEndToEndTest {

  private static final Pattern LINE =
      Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z: \\[(\\w+)\\] \\[application\\] (.*)$");

  record Outcome(int status, List<String> messages) {}

  private static Outcome run(Path dir, String... args) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, args)) {
      int status = p.awaitExit();
      List<String> messages = p.stdout().stream()
          .map(LINE::matcher).filter(Matcher::matches).map(m -> m.group(1) + " " + m.group(2)).toList();
      return new Outcome(status, messages);
    }
  }

  private static long hiscore(Path disk, long slot) throws Exception {
    try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocate(12);
      ch.read(b, slot * 512);
      assertThat(new String(b.array(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("LOTO");
      CRC32 crc = new CRC32();
      crc.update(b.array(), 0, 8);
      assertThat(b.getInt(8) & 0xffffffffL).isEqualTo(crc.getValue());
      return b.getInt(4) & 0xffffffffL;
    }
  }

  @Test
  void playsTheGameWithItsExitStatuses(@TempDir Path dir) throws Exception {
    Outcome fresh = run(dir, "--block-size=4096");
    assertThat(fresh.status()).isEqualTo(6);
    assertThat(fresh.messages()).containsExactly("ERROR Error reading state: bad magic; is this lottery data?");

    Outcome badSlot = run(dir, "--slot=8");
    assertThat(badSlot.status()).isEqualTo(5);
    assertThat(badSlot.messages()).containsExactly("ERROR Invalid sector 8");

    Outcome resetAll = run(dir, "--reset-all");
    assertThat(resetAll.status()).isEqualTo(0);
    assertThat(resetAll.messages()).containsExactly("INFO All 8 game slots reset.");
    Path disk = dir.resolve("disk.img");
    for (long s = 0; s < 8; s++) {
      assertThat(hiscore(disk, s)).isEqualTo(0);
    }

    long best = 0;
    for (int game = 0; game < 3; game++) {
      Outcome play = run(dir);
      assertThat(play.status()).isEqualTo(0);
      assertThat(play.messages()).hasSize(4);
      String result = play.messages().get(0);
      Matcher won = Pattern.compile("INFO YOU WON! You beat the old high score (\\d+) with (\\d+)!").matcher(result);
      Matcher lost = Pattern.compile("INFO YOU LOST! With (\\d+) you didn't beat the high score (\\d+)").matcher(result);
      if (won.matches()) {
        assertThat(Long.parseLong(won.group(1))).isEqualTo(best);
        best = Long.parseLong(won.group(2));
      } else {
        assertThat(lost.matches() || result.equals("INFO TIE! You tied with the high score " + best)).isTrue();
        if (lost.matches()) {
          assertThat(Long.parseLong(lost.group(2))).isEqualTo(best);
        }
      }
      assertThat(play.messages().subList(1, 4)).containsExactly("INFO Saving new game state...", "INFO Done!",
          "INFO Thank you for playing! Exiting...").inOrder();
      assertThat(hiscore(disk, 0)).isEqualTo(best);
    }
    assertThat(hiscore(disk, 1)).isEqualTo(0); // other slots untouched

    Outcome reset = run(dir, "--reset", "--slot=0");
    assertThat(reset.messages()).containsExactly("INFO Reset game slot 0.");
    assertThat(hiscore(disk, 0)).isEqualTo(0);

    // a flipped bit in slot 3's high score: the checksum no longer matches
    try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {1}), 3 * 512 + 5);
    }
    Outcome corrupt = run(dir, "--slot=3");
    assertThat(corrupt.status()).isEqualTo(6);
    assertThat(corrupt.messages())
        .containsExactly("ERROR Error reading state: bad checksum; possible data corruption");
    // -l quiet: nothing is logged, the status is still the game's
    Outcome quiet = run(dir, "--slot=3", "-l", "quiet");
    assertThat(quiet.status()).isEqualTo(6);
    assertThat(quiet.messages()).isEmpty();
  }
}
