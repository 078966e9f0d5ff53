package org.mirage4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.mirage4j.dsl.frontend.MirageFrontEnd;
import org.mirage4j.generator.GenerationResult;
import org.mirage4j.generator.GeneratorRequest;
import org.mirage4j.generator.MirageGenerator;
import org.mirage4j.model.UnikernelModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole pipeline in-process, warm: parse, link and check a configuration, lower it for unix,
 * and generate the wiring and artifacts, for synthetic configurations of 100, 1,000 and 10,000
 * devices.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// A heap of a fixed size, touched before the run: a growing heap takes its new pages from the
// machine as it first writes them, which on a fresh virtual machine costs about as much as the
// work itself and lands in whichever iteration happens to grow the heap (10,000 devices: 0.6 to
// 2.3 s per run with the default heap, 0.65 to 0.83 s with this one).
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class PipelineBenchmark {

  /** How many devices the configuration has. */
  @Param({"100", "1000", "10000"})
  public int devices;

  private Path dir;
  private Path config;

  /** Writes the configuration once. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("mirage4j-bench");
    config = dir.resolve("config.mirage");
    Files.writeString(config, SyntheticConfig.of(devices));
    MirageFrontEnd.injector(); // created once per JVM in real use too
  }

  /** Removes the files. */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** Parse, check, lower, generate. */
  @Benchmark
  public GenerationResult pipeline() {
    return run(config, dir);
  }

  /**
   * One run of the pipeline, as {@code Configurator} (the CLI's {@code configure}, the Maven
   * plugin's {@code generate}) runs it: load, check and lower in a session, close it, then generate
   * from the lowered model; fails loudly if the configuration does not generate.
   */
  static GenerationResult run(Path config, Path dir) {
    UnikernelModel model;
    try (MirageFrontEnd.Session session = MirageFrontEnd.open(config, null, dir)) {
      MirageFrontEnd.Outcome outcome = session.lower("unix", null, Map.of());
      if (outcome.failed()) {
        throw new IllegalStateException("the synthetic configuration does not lower: " + outcome.diagnostics());
      }
      model = outcome.model();
    }
    GenerationResult result = MirageGenerator.generate(GeneratorRequest.of(model, dir, dir.resolve("target")));
    if (result.hasErrors()) {
      throw new IllegalStateException("generation failed: " + result.diagnostics());
    }
    return result;
  }
}
