package org.mirage4j.dsl.tests;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.eclipse.emf.ecore.resource.Resource;
import org.junit.jupiter.api.Test;
import org.mirage4j.dsl.StdLib;
import org.mirage4j.dsl.frontend.MirageFrontEnd;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.scoping.Visible;

/**
 * Sessions without a class path share one standard library: each sees the same resource, none
 * holds it in its own resource set, a session with a class path loads its own, and sessions on
 * several threads at once give what each gives alone.
 */
class SharedStdTest {

  private static Resource std(MirageFrontEnd.Session s) {
    List<MirageFile> files = Visible.files(s.file());
    Resource std = files.get(files.size() - 1).eResource();
    assertThat(StdLib.isStd(std.getURI())).isTrue();
    return std;
  }

  @Test
  void sessionsWithoutAClassPathShareTheStandardLibrary() {
    Path config = Fixtures.file("good/hello.mirage");
    try (MirageFrontEnd.Session a = MirageFrontEnd.open(config, null, config.getParent());
        MirageFrontEnd.Session b = MirageFrontEnd.open(config, null, config.getParent());
        MirageFrontEnd.Session c = MirageFrontEnd.open(config, List.of(), config.getParent())) {
      assertThat(std(a)).isSameInstanceAs(std(b));
      assertThat(a.file().eResource().getResourceSet().getResources()).doesNotContain(std(a));
      assertThat(std(c)).isNotSameInstanceAs(std(a));
      assertThat(c.file().eResource().getResourceSet().getResources()).contains(std(c));
      a.check();
      a.lower("xen", null, Map.of());
      assertThat(std(a).getErrors()).isEmpty();
    }
  }

  @Test
  void concurrentSessionsGiveWhatEachGivesAlone() throws Exception {
    List<Path> configs;
    try (Stream<Path> s = Stream.concat(Files.list(Fixtures.file("good")), Files.list(Fixtures.file("bad")))) {
      configs = s.filter(p -> p.toString().endsWith(".mirage")).sorted().toList();
    }
    List<String> alone = new ArrayList<>();
    for (Path p : configs) {
      alone.add(run(p));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (Path p : configs) {
          results.add(pool.submit(() -> run(p)));
        }
      }
      for (int i = 0; i < results.size(); i++) {
        assertWithMessage("%s", configs.get(i % configs.size()))
            .that(results.get(i).get())
            .isEqualTo(alone.get(i % configs.size()));
      }
    } finally {
      pool.shutdown();
    }
  }

  /** Everything a session says about a configuration: its check, and its lowering for two targets. */
  private static String run(Path config) throws IOException {
    StringBuilder sb = new StringBuilder();
    try (MirageFrontEnd.Session s = MirageFrontEnd.open(config, null, config.getParent())) {
      sb.append(Fixtures.strings(s.check())).append('\n');
      for (String target : List.of("unix", "xen")) {
        MirageFrontEnd.Outcome o = s.lower(target, null, Map.of());
        sb.append(target).append(": ").append(Fixtures.strings(o.diagnostics()))
            .append(o.model() == null ? "" : o.model().toString()).append('\n');
      }
    }
    return sb.toString();
  }
}
