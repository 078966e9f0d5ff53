package org.mirage4j.generator;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.runtime.Exit;

/**
 * A graph too large for one method (javac's 64 KiB of bytecode per method): its registrations are
 * split over nested classes of {@link WiringWriter#DEVICES_PER_PART} devices, and the result still
 * compiles strictly and runs.
 */
class LargeGraphTest {

  /** A binary tree of {@code n} devices below one root, and a job receiving the last one. */
  static UnikernelModel tree(int n) {
    List<DeviceNode> devices = new ArrayList<>();
    devices.add(TestModels.device("root", "root", "mclock", "MonotonicClock", "clock",
        "big.Clock", TestModels.at(1, 1), List.of()));
    for (int i = 0; i < n; i++) {
      String dep = i == 0 ? "root" : "d" + ((i - 1) / 2);
      devices.add(TestModels.device("d" + i, "d" + i, "mclock", "MonotonicClock", "clock",
          "big.Clock", TestModels.at(i + 2, 1), List.of(), TestModels.dev("clock", dep)));
    }
    return TestModels.model("big", "unix", List.of(),
        List.of(TestModels.runtimeKey("port", TestModels.t(org.mirage4j.model.ValueType.Kind.PORT),
            new org.mirage4j.model.Value.PortValue(80), "", 1)),
        devices,
        List.of(TestModels.job("App", "big.App", TestModels.at(n + 3, 1),
            TestModels.dev("arg0", "d" + (n - 1)), TestModels.key("arg1", "port"))));
  }

  @Test
  void aLargeGraphIsSplitAndStillCompilesAndRuns(@TempDir Path tmp) throws Exception {
    UnikernelModel model = tree(450);
    Diagnostics d = new Diagnostics();
    String source = MirageGenerator.wiringSource(
        GeneratorRequest.of(model, tmp, tmp.resolve("target")), d);
    assertThat(d.all()).isEmpty();
    assertThat(source).contains("Devices0.register(unikernel, devices, options);");
    assertThat(source).contains("Devices2.register(unikernel, devices, options);");
    assertThat(source).doesNotContain("Devices3");

    List<JavaFileObject> sources = new ArrayList<>();
    sources.add(JavaFileObjects.forSourceString("org.mirage4j.generated.BigUnikernel", source));
    sources.addAll(new Stubs().add(model).sources());
    Path classes = tmp.resolve("classes");
    Compile.toDirectory(sources, classes);

    // run it in this JVM: every one of the 451 devices is created and connected, the job runs
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        getClass().getClassLoader())) {
      Class<?> wiring = loader.loadClass("org.mirage4j.generated.BigUnikernel");
      Method run = wiring.getDeclaredMethod("run", String[].class, Exit.class);
      run.setAccessible(true);
      Exit noExit = status -> {
        throw new AssertionError("exit " + status);
      };
      assertThat(run.invoke(null, new String[] {"--port=8080"}, noExit)).isEqualTo(0);
    }
  }

  @Test
  void smallGraphsStayInOneMethod(@TempDir Path tmp) {
    String source = MirageGenerator.wiringSource(
        GeneratorRequest.of(tree(WiringWriter.DEVICES_PER_PART - 1), tmp, tmp.resolve("t")),
        new Diagnostics());
    assertThat(source).doesNotContain("Devices0");
  }
}
