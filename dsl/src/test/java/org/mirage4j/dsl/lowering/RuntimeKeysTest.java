package org.mirage4j.dsl.lowering;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.Value;

/** The runtime keys phase: one option per key and group, with its aliases; clashes are errors. */
class RuntimeKeysTest {

  @TempDir Path dir;

  private Map<String, RuntimeKey> collect(PhaseFixture f) {
    Evaluator evaluator = f.evaluator("unix");
    List<List<Evaluated>> args = f.evaluate(evaluator);
    return new RuntimeKeys(f.types, f.constants, f.file, f.locator, f.report)
        .collect(evaluator.nodesReachedBy(args), f.jobs(), args);
  }

  @Test
  void aGroupPrefixesTheOptionAndItsLongAliases() {
    try (PhaseFixture f = PhaseFixture.of(dir,
        "unikernel app",
        "type link = org.example.Link",
        "driver tap(interface: string) : link = org.example.Tap",
        "key interface : string = \"tap0\" alias i, iface \"the TAP device\"",
        "job org.example.App(tap(interface@net0), tap(interface), interface)")) {
      Map<String, RuntimeKey> keys = collect(f);
      assertThat(f.problems).isEmpty();
      // in the order the nodes, then the jobs, read them
      assertThat(keys.keySet()).containsExactly("net0-interface", "interface").inOrder();
      RuntimeKey grouped = keys.get("net0-interface");
      assertThat(grouped.aliases()).containsExactly("net0-iface"); // every group would want -i
      assertThat(grouped.defaultValue()).isEqualTo(Optional.of(new Value.StringValue("tap0")));
      assertThat(grouped.doc()).isEqualTo("the TAP device");
      assertThat(keys.get("interface").aliases()).containsExactly("i", "iface").inOrder();
    }
  }

  @Test
  void twoKeysThatWouldBeOneOptionAreAnError() {
    try (PhaseFixture f = PhaseFixture.of(dir,
        "unikernel app",
        "key net_port : port = 80",
        "key port : port = 81",
        "job org.example.App(port@net, net_port)")) {
      Map<String, RuntimeKey> keys = collect(f);
      assertThat(keys.keySet()).containsExactly("net-port");
      assertThat(f.problems).containsExactly(
          "config.mirage:4:1: ERROR KEY: runtime keys 'port@net' and 'net_port' would both be the option"
              + " --net-port; rename one or use another group");
    }
  }
}
