package org.mirage4j.drivers.blockkv;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.drivers.block.FileBlock;

/** Crashes in the middle of writes: every value a {@code set} returned for is there afterwards. */
class BlockKvRwCrashTest {

  @TempDir Path tmp;

  private static String value(int i) {
    return ("value " + i + " ").repeat(1 + i % 300);
  }

  /**
   * The machine loses power at a random write, keeping a random part of what the device had not
   * flushed; the store is opened again from what the device kept.
   */
  @Test
  void aPowerLossAtAnyWriteKeepsEveryCommittedValue() throws IOException {
    Random random = new Random(20261202);
    int rounds = 150;
    int recoveredInFlight = 0;
    for (int round = 0; round < rounds; round++) {
      MemoryBlock disk = new MemoryBlock(8192); // 4 MiB
      Map<String, String> committed = new HashMap<>();
      int i = 0;
      // a store with some history, then power goes at one of the next writes
      BlockKvRw kv = new BlockKvRw(disk);
      kv.connect();
      for (; i < 30; i++) {
        kv.set("k/" + (i % 11), value(i).getBytes(StandardCharsets.UTF_8));
        committed.put("k/" + (i % 11), value(i));
      }
      if (round % 3 == 0) { // sometimes from a cleanly closed and reopened store
        kv.close();
        kv = new BlockKvRw(disk);
        kv.connect();
      }
      disk.losePowerAtWrite(1 + random.nextInt(60));
      String inFlightKey = null;
      String inFlightValue = null;
      try {
        for (; ; i++) {
          inFlightKey = "k/" + (i % 11);
          inFlightValue = i % 7 == 3 ? null : value(i); // every seventh change is a remove
          if (inFlightValue == null) {
            kv.remove(inFlightKey);
          } else {
            kv.set(inFlightKey, inFlightValue.getBytes(StandardCharsets.UTF_8));
          }
          if (inFlightValue == null) {
            committed.remove(inFlightKey);
          } else {
            committed.put(inFlightKey, inFlightValue);
          }
        }
      } catch (IOException e) {
        assertThat(disk.dead()).isTrue();
      }
      try {
        kv.close();
      } catch (IOException | RuntimeException e) {
        // the device is gone: nothing more can be written
      }
      MemoryBlock after = new MemoryBlock(disk.afterPowerLoss(random));
      BlockKvRw reopened = new BlockKvRw(after);
      reopened.connect();
      for (int k = 0; k < 11; k++) {
        String key = "k/" + k;
        String got = reopened.exists(key).isPresent()
            ? new String(reopened.get(key), StandardCharsets.UTF_8) : null;
        if (key.equals(inFlightKey) && java.util.Objects.equals(got, inFlightValue)
            && !java.util.Objects.equals(got, committed.get(key))) {
          recoveredInFlight++; // the change in flight made it: allowed, it was never promised
          continue;
        }
        assertWithMessage("round %s, %s", round, key).that(got).isEqualTo(committed.get(key));
      }
      // and the store still works
      reopened.set("after", new byte[] {1});
      reopened.close();
    }
    System.out.println("power losses: " + rounds + ", changes in flight that made it: " + recoveredInFlight);
  }

  /** A program writing to a unix file as its disk is killed (SIGKILL) between and inside writes. */
  @Test
  void aKilledProgramKeepsEveryCommittedValue() throws Exception {
    Path image = tmp.resolve("store.img");
    Random random = new Random(7);
    Map<String, Integer> committed = new HashMap<>();
    int next = 0;
    for (int round = 0; round < 3; round++) {
      Process writer = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "-Xshare:auto",
          CrashWriter.class.getName(), image.toString(), Integer.toString(next)))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      int killAfter = 40 + random.nextInt(200);
      int last = -1;
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          if (!line.startsWith("committed ")) {
            continue; // the drivers' log lines
          }
          last = Integer.parseInt(line.substring("committed ".length()));
          committed.put("k/" + (last % 50), last);
          if (--killAfter == 0) {
            // SIGKILL, in the middle of some later set: the writer runs on while the signal
            // travels, and the lines it printed before it died are still read (and count);
            // the handle's kill, not Process's, which would also close the pipe being read
            writer.toHandle().destroyForcibly();
          }
        }
      } finally {
        writer.destroyForcibly();
        assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      assertWithMessage("the writer ran").that(last).isAtLeast(next);
      FileBlock disk = new FileBlock(image.toString(), 8L << 20);
      disk.connect();
      BlockKvRw kv = new BlockKvRw(disk);
      kv.connect();
      int inFlight = last + 1;
      for (Map.Entry<String, Integer> e : committed.entrySet()) {
        String got = new String(kv.get(e.getKey()), StandardCharsets.UTF_8);
        if (e.getKey().equals("k/" + (inFlight % 50)) && got.equals(value(inFlight))) {
          continue; // the set in flight when the kill came had finished its commit
        }
        assertWithMessage("round %s, %s", round, e.getKey()).that(got).isEqualTo(value(e.getValue()));
      }
      kv.close();
      disk.close();
      next = last + 2; // the next writer never reuses a number that may have been in flight
    }
  }
}
