package org.mirage4j.samples.skeleton.littlefs;

import static com.google.common.truth.Truth.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.drivers.block.FileBlock;
import org.mirage4j.drivers.blockkv.BlockKvRw;
import org.mirage4j.samples.testing.UnikernelProcess;

/**
 * As the original: the program writes {@code /foo}, reads it back and logs it as a hex dump. And
 * what it wrote is on the disk: the store opened from the image afterwards holds the value.
 */
class LittlefsEndToEndTest {

  private static List<String> run(Path dir, String... args) throws Exception {
    try (UnikernelProcess p = UnikernelProcess.start(dir, args)) {
      assertThat(p.awaitExit()).isEqualTo(0);
      return p.stdout();
    }
  }

  @Test
  void writesReadsBackAndLeavesTheValueOnTheDisk(@TempDir Path dir) throws Exception {
    List<String> out = run(dir);
    List<String> logged = out.stream().filter(l -> l.contains("[INFO] [application] foo: ")).toList();
    assertThat(logged).hasSize(1);
    assertThat(logged.get(0).replaceAll(" +", " "))
        .endsWith("foo: 00000000: 4865 6c6c 6f20 576f 726c 6421 Hello World!");
    Path image = dir.resolve("littlefs");
    assertThat(Files.size(image)).isEqualTo(1 << 20); // the default block_size
    // a second run opens the store the first one left and writes over its value
    run(dir);
    FileBlock disk = new FileBlock(image.toString(), 1 << 20);
    disk.connect();
    BlockKvRw store = new BlockKvRw(disk);
    store.connect();
    assertThat(new String(store.get("foo"), StandardCharsets.UTF_8)).isEqualTo("Hello World!");
    assertThat(store.list("")).hasSize(1);
    store.close();
    disk.close();
  }
}
