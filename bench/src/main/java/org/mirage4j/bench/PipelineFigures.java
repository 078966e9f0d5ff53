package org.mirage4j.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link PipelineBenchmark} and prints one line per size and the 10,000/1,000 ratio (linear
 * growth gives about 10). Arguments are passed on to JMH as an include pattern, if any.
 */
public final class PipelineFigures {

  private PipelineFigures() {}

  /** Entry point of {@code bench/target/benchmarks.jar}. */
  public static void main(String[] args) throws RunnerException {
    Options options =
        new OptionsBuilder().include(args.length > 0 ? args[0] : PipelineBenchmark.class.getSimpleName()).build();
    Collection<RunResult> results = new Runner(options).run();
    Map<String, Double> ms = new HashMap<>();
    System.out.println();
    System.out.println("pipeline (parse + check + lower + generate), warm, ms per configuration:");
    for (RunResult r : results) {
      String size = r.getParams().getParam("devices");
      double score = r.getPrimaryResult().getScore();
      ms.put(size, score);
      System.out.printf("  %6s devices: %10.1f ms  (± %.1f)%n", size, score, r.getPrimaryResult().getScoreError());
    }
    if (ms.containsKey("1000") && ms.containsKey("10000")) {
      System.out.printf("  ratio 10,000 / 1,000 devices: %.2f (10 = linear)%n", ms.get("10000") / ms.get("1000"));
    }
  }
}
