package org.mirage4j.dsl.lowering;

import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.model.Value;

/** The evaluation phase: matches pick one branch, identical applications are one node, in order. */
class EvaluatorTest {

  @TempDir Path dir;

  private static final String[] CONFIG = {
    "unikernel app",
    "type store = org.example.Store",
    "type cache = org.example.Cache",
    "driver disk(dir: string) : store = org.example.Disk on unix",
    "driver memory() : store = org.example.Memory",
    "driver lru(backend: store, size: int = 16) : cache = org.example.Lru",
    "device site = match target { unix -> disk(\"site\") default -> memory }",
    "device fast(s: store) : cache = lru(s)",
    "job org.example.App(fast(site), lru(site), disk(\"site\"))",
    "job org.example.Other(memory)",
  };

  private static Node node(Evaluated v) {
    return ((Evaluated.Device) v).node();
  }

  @Test
  void aMatchPicksTheTargetsBranchAndEqualApplicationsAreOneNode() {
    try (PhaseFixture f = PhaseFixture.of(dir, CONFIG)) {
      Evaluator evaluator = f.evaluator("unix");
      List<Evaluated> app = evaluator.evaluateJob(f.jobs().get(0));
      assertThat(f.problems).isEmpty();
      // fast(site) expands to lru(disk("site")): the same node as lru(site), with the default size
      assertThat(node(app.get(0))).isSameInstanceAs(node(app.get(1)));
      Node lru = node(app.get(0));
      assertThat(lru.driver.getName()).isEqualTo("lru");
      assertThat(lru.preferredName).isNull(); // a device function's result is not a device of its own
      assertThat(node(lru.args.get(0))).isSameInstanceAs(node(app.get(2)));
      assertThat(node(app.get(2)).preferredName).isEqualTo("site");
      assertThat(((Evaluated.Constant) lru.args.get(1)).value()).isEqualTo(new Value.IntValue(16));

      List<Evaluated> other = evaluator.evaluateJob(f.jobs().get(1));
      // arguments first: the list of nodes is in dependency order
      assertThat(evaluator.nodesReachedBy(List.of(app, other)).stream().map(n -> n.driver.getName()).toList())
          .containsExactly("disk", "lru", "memory").inOrder();
      // what only the second job uses is not reached by the first
      assertThat(evaluator.nodesReachedBy(List.of(app)).stream().map(n -> n.driver.getName()).toList())
          .containsExactly("disk", "lru").inOrder();
    }
  }

  @Test
  void aDriverThatIsNotOnTheTargetHasNoValueThere() {
    try (PhaseFixture f = PhaseFixture.of(dir, CONFIG)) {
      Evaluator evaluator = f.evaluator("xen");
      List<Evaluated> app = evaluator.evaluateJob(f.jobs().get(0));
      // on xen, site is memory (the default branch); the literal disk("site") has no implementation
      assertThat(node(node(app.get(1)).args.get(0)).driver.getName()).isEqualTo("memory");
      assertThat(app.get(2)).isNull();
      assertThat(f.problems).containsExactly(
          "config.mirage:9:44: ERROR MISSING_DRIVER: driver 'disk' has no implementation on target 'xen';"
              + " it exists on: unix");
    }
  }
}
