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
import org.mirage4j.model.Argument;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;
import org.mirage4j.runtime.Exit;

/**
 * The devices a device receives are written once, as the handles it is registered with; its
 * factory takes them as parameters, named after the driver's parameters (or, where that name is
 * taken, with {@code Device} appended), and above {@link WiringWriter#TYPED_FACTORY_MAX} reads
 * them by position. Each shape compiles strictly and runs.
 */
class FactoryShapesTest {

  /** Seven clocks, a device receiving one of them, and one receiving all of them (one twice). */
  static UnikernelModel model() {
    List<DeviceNode> devices = new ArrayList<>();
    List<Argument> all = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      devices.add(TestModels.device("c" + i, "c" + i, "mclock", "MonotonicClock", "clock",
          "shapes.Clock", TestModels.at(i + 1, 1), List.of()));
      all.add(TestModels.dev("p" + i, "c" + i));
    }
    all.add(TestModels.dev("again", "c0"));
    // parameter 'port' is also the name of the runtime key's local, parameter 'c1' that of a handle
    devices.add(TestModels.device("one", "one", "mclock", "MonotonicClock", "one",
        "shapes.One", TestModels.at(8, 1), List.of(), TestModels.dev("port", "c0"),
        TestModels.dev("c1", "c1")));
    devices.add(TestModels.device("seven", "seven", "mclock", "MonotonicClock", "seven",
        "shapes.Seven", TestModels.at(9, 1), List.of(), all.toArray(Argument[]::new)));
    return TestModels.model("shapes", "unix", List.of(),
        List.of(TestModels.runtimeKey("port", TestModels.t(ValueType.Kind.PORT),
            new Value.PortValue(80), "", 1)),
        devices,
        List.of(TestModels.job("App", "shapes.App", TestModels.at(10, 1),
            TestModels.dev("arg0", "seven"), TestModels.dev("arg1", "one"), TestModels.key("arg2", "port"))));
  }

  @Test
  void eachDependencyIsWrittenOnceAndTheWiringRuns(@TempDir Path tmp) throws Exception {
    UnikernelModel model = model();
    Diagnostics d = new Diagnostics();
    String source = MirageGenerator.wiringSource(GeneratorRequest.of(model, tmp, tmp.resolve("target")), d);
    assertThat(d.all()).isEmpty();
    String flat = source.replaceAll("\\s+", " ");
    assertThat(flat).contains("unikernel.device(\"one\", \"config.mirage:8\", c0, c1,"
        + " (portDevice, c1Device) -> new One(portDevice, c1Device));");
    assertThat(flat).contains("unikernel.device(\"seven\", \"config.mirage:9\","
        + " List.of(c0, c1, c2, c3, c4, c5, c6), inputs -> new Seven(inputs.get(0, MonotonicClock.class),");
    assertThat(flat).contains("inputs.get(6, MonotonicClock.class), inputs.get(0, MonotonicClock.class)));");
    assertThat(source).doesNotContain("c0.get()");

    List<JavaFileObject> sources = new ArrayList<>();
    sources.add(JavaFileObjects.forSourceString("org.mirage4j.generated.ShapesUnikernel", source));
    sources.addAll(new Stubs().add(model).sources());
    Path classes = tmp.resolve("classes");
    Compile.toDirectory(sources, classes);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        getClass().getClassLoader())) {
      Method run = loader.loadClass("org.mirage4j.generated.ShapesUnikernel")
          .getDeclaredMethod("run", String[].class, Exit.class);
      run.setAccessible(true);
      Exit noExit = status -> {
        throw new AssertionError("exit " + status);
      };
      assertThat(run.invoke(null, new String[0], noExit)).isEqualTo(0);
    }
  }
}
