package org.mirage4j.generator;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.JavaFileObjects;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.model.UnikernelModel;

/**
 * The property test: many random valid device graphs (seeded, so a failure can be replayed; set
 * {@code -Dmirage.random.seed} to explore others) each generate wiring that compiles with {@code
 * -Xlint:all -Werror}, and every {@code .xl} they give is accepted by Xen's parser. Models are
 * compiled in batches, many per javac run, to keep the test fast.
 */
class RandomModelsTest {

  static final int MODELS = 500;
  static final int BATCH = 250;

  @Test
  void randomModelsGenerateCodeThatCompiles(@TempDir Path tmp) throws Exception {
    long seed = Long.getLong("mirage.random.seed", 0x6d69726167654aL);
    Random random = new Random(seed);
    List<Path> xlFiles = new ArrayList<>();
    // generate every model first (sequentially: one Random), then compile the batches on two threads
    List<List<JavaFileObject>> batches = new ArrayList<>();
    for (int start = 0; start < MODELS; start += BATCH) {
      List<JavaFileObject> sources = new ArrayList<>();
      Stubs stubs = new Stubs("stubs.b" + start);
      for (int i = start; i < start + BATCH; i++) {
        UnikernelModel model = RandomModels.model(random, i);
        GeneratorRequest request = GeneratorRequest.of(model, tmp, tmp.resolve("build"))
            .withPackage(RandomModels.packageOf(i));
        Diagnostics diagnostics = new Diagnostics();
        List<OutputFile> files = MirageGenerator.plan(request, diagnostics);
        assertWithMessage("model %s (seed %s): %s", i, seed, model)
            .that(diagnostics.all()).isEmpty();
        for (OutputFile f : files) {
          String text = new String(f.content(), StandardCharsets.UTF_8);
          // every file carries the marker, except the data files that cannot (app-info.tsv), which say so
          assertWithMessage("marker in %s", f.path()).that(Markers.isMarked(f.content())).isEqualTo(f.marked());
          assertWithMessage("unmarked %s", f.path())
              .that(f.marked() || f.path().equals(AppInfoWriter.PATH)).isTrue();
          if (f.root() == OutputFile.Root.JAVA) {
            sources.add(JavaFileObjects.forSourceString(
                f.path().replace(".java", "").replace('/', '.'), text));
          } else if (f.path().endsWith(".xl")) {
            Path xl = tmp.resolve("xl").resolve(i + "-" + f.path());
            Files.createDirectories(xl.getParent());
            Files.writeString(xl, text);
            xlFiles.add(xl);
          }
        }
        stubs.add(model);
      }
      assertThat(sources).hasSize(BATCH);
      batches.add(Compile.concat(sources, stubs.sources()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<long[]>> done = new ArrayList<>();
      for (List<JavaFileObject> batch : batches) {
        done.add(pool.submit(() -> {
          java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
          long t0 = System.nanoTime();
          long c0 = mx.getCurrentThreadCpuTime();
          Compile.strictly(batch);
          return new long[] {
            (System.nanoTime() - t0) / 1_000_000, (mx.getCurrentThreadCpuTime() - c0) / 1_000_000
          };
        }));
      }
      for (int b = 0; b < done.size(); b++) {
        long[] ms;
        try {
          ms = done.get(b).get();
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw e;
        }
        System.out.printf("batch %d: javac of %d classes (%d wiring) took %d ms (%d ms of CPU)%n",
            b, batches.get(b).size(), BATCH, ms[0], ms[1]);
      }
    } finally {
      pool.shutdownNow();
    }
    int compiled = batches.size() * BATCH;
    assertThat(compiled).isAtLeast(500);
    assertThat(xlFiles).isNotEmpty();

    Path tool = Support.xlCheck();
    if (tool == null) {
      System.out.println("SKIPPED xl-check of " + xlFiles.size() + " random .xl files: no xl-check here");
      return;
    }
    List<String> command = new ArrayList<>();
    command.add(tool.toString());
    xlFiles.forEach(p -> command.add(p.toString()));
    Support.Run run = Support.run(command, Map.of());
    if (run.status() == 3) {
      System.out.println("SKIPPED xl-check: the tool cannot build here: " + run.err());
      return;
    }
    assertWithMessage("xl-check:\n%s%s", run.err(), run.out()).that(run.status()).isEqualTo(0);
  }
}
