package org.mirage4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mirage4j.dsl.frontend.MirageFrontEnd;

/**
 * The peak heap of the pipeline on a synthetic configuration: runs it {@code runs} times in this JVM
 * and prints the sum of the heap pools' peak usage (an upper bound of the heap in use at any one
 * moment) as {@code peak-heap-mb N}. Run with {@code -Xmx512m} to show it fits.
 *
 * <p>Usage: {@code PipelineHeap DEVICES [runs=3]}
 */
public final class PipelineHeap {
  private PipelineHeap() {}

  public static void main(String[] args) throws Exception {
    int devices = Integer.parseInt(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("mirage4j-heap");
    Path config = dir.resolve("config.mirage");
    Files.writeString(config, SyntheticConfig.of(devices));
    MirageFrontEnd.injector();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      pool.resetPeakUsage();
    }
    for (int i = 0; i < runs; i++) {
      PipelineBenchmark.run(config, dir);
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(java.util.Locale.ROOT, "peak-heap-mb %.1f%n", peak / 1048576.0);
  }
}
