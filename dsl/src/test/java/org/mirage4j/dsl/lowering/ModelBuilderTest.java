package org.mirage4j.dsl.lowering;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.model.Argument;
import org.mirage4j.model.Artifact;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.Platform;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.SourceLocation;
import org.mirage4j.model.TargetKind;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;

/** The last phase: ids, display names, dependencies, artifacts, unique job names, sorted keys. */
class ModelBuilderTest {

  @TempDir Path dir;

  @Test
  void nodesAndJobsAsTheGeneratorReadsThem() {
    try (PhaseFixture f = PhaseFixture.of(dir,
        "unikernel app",
        "type store = org.example.Store",
        "driver disk(dir: string) : store = org.example.Disk from \"org.example:disks:1.0\"",
        "driver mirror(a: store, b: store, copies: port) : store = org.example.Mirror",
        "device main = disk(\"main\")",
        "device site = disk(\"site\")",
        "key copies : port = 2",
        "key zone : string = \"z\"",
        "job org.example.App(mirror(main, disk(\"tmp\"), copies), zone)",
        "job org.example.App(site)")) {
      Evaluator evaluator = f.evaluator("unix");
      List<List<Evaluated>> args = f.evaluate(evaluator);
      List<Node> nodes = evaluator.nodesReachedBy(args);
      Map<String, RuntimeKey> keys =
          new RuntimeKeys(f.types, f.constants, f.file, f.locator, f.report).collect(nodes, f.jobs(), args);
      assertThat(f.problems).isEmpty();
      Platform unix = new Platform("unix", TargetKind.PROCESS, "x86_64", Optional.empty());
      UnikernelModel m =
          new ModelBuilder(f.locator)
              .build(f.file.getUnikernels().get(0), unix, nodes, f.jobs(), args, List.of(), keys.values());

      assertThat(m.name()).isEqualTo("app");
      assertThat(m.devices().stream().map(DeviceNode::id).toList())
          .containsExactly("main", "disk", "mirror", "site").inOrder();
      assertThat(m.devices().stream().map(DeviceNode::name).toList())
          .containsExactly("main", "disk(\"tmp\")", "mirror(main, disk, copies)", "site").inOrder();
      DeviceNode mirror = m.device("mirror").orElseThrow();
      assertThat(mirror.dependencies()).containsExactly("main", "disk").inOrder();
      assertThat(mirror.arguments()).containsExactly(
          new Argument.DeviceArg("a", "main"),
          new Argument.DeviceArg("b", "disk"),
          new Argument.RuntimeKeyArg("copies", "copies")).inOrder();
      assertThat(mirror.location()).isEqualTo(new SourceLocation("config.mirage", 9, 21));
      assertThat(m.device("disk").orElseThrow().arguments())
          .containsExactly(new Argument.ConstantArg("dir", new Value.StringValue("tmp"), null));
      assertThat(m.artifacts()).containsExactly(new Artifact("org.example", "disks", "1.0"));
      // two jobs of one class: the second name is made unique
      assertThat(m.jobs().stream().map(j -> j.name()).toList()).containsExactly("App", "App2").inOrder();
      assertThat(m.runtimeKeys().stream().map(RuntimeKey::name).toList())
          .containsExactly("copies", "zone").inOrder();
    }
  }
}
