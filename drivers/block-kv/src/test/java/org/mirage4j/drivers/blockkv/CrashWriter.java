package org.mirage4j.drivers.blockkv;

import java.nio.charset.StandardCharsets;
import org.mirage4j.drivers.block.FileBlock;

/**
 * The program {@link BlockKvRwCrashTest} kills: writes {@code k/(i % 50) = "value i"} for ever,
 * printing {@code committed i} after each {@code set} returns.
 */
public final class CrashWriter {

  private CrashWriter() {}

  public static void main(String[] args) throws Exception {
    FileBlock disk = new FileBlock(args[0], 8L << 20);
    disk.connect();
    BlockKvRw kv = new BlockKvRw(disk);
    kv.connect();
    int start = Integer.parseInt(args[1]);
    for (int i = start; ; i++) {
      byte[] value = ("value " + i + " ").repeat(1 + i % 300).getBytes(StandardCharsets.UTF_8);
      kv.set("k/" + (i % 50), value);
      System.out.println("committed " + i);
      System.out.flush();
    }
  }
}
