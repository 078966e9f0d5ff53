package org.mirage4j.dsl.check;

import static org.mirage4j.dsl.mirage.MiragePackage.Literals.MATCH_CASE__LABELS;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.MATCH_EXPR__KEY;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.MATCH_EXPR__ON_TARGET;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.NAMED__NAME;
import static org.mirage4j.dsl.mirage.MiragePackage.Literals.REF_EXPR__REF;

import com.google.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.xtext.EcoreUtil2;
import org.mirage4j.dsl.linking.DidYouMean;
import org.mirage4j.dsl.mirage.DeviceDecl;
import org.mirage4j.dsl.mirage.Element;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.KeyStage;
import org.mirage4j.dsl.mirage.MatchCase;
import org.mirage4j.dsl.mirage.MatchExpr;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.mirage.RefExpr;
import org.mirage4j.dsl.mirage.TargetDecl;
import org.mirage4j.dsl.scoping.Visible;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.dsl.typing.Phrasing;
import org.mirage4j.model.ValueType;

/**
 * The shape of the device graph: no device depends on itself, and every {@code match} covers each
 * target or each value of its key exactly once (or has a default).
 */
public class GraphChecks {

  private final MirageTypes types;

  /** Checks over the language's type rules (a key's values). */
  @Inject
  public GraphChecks(MirageTypes types) {
    this.types = types;
  }

  // ------------------------------------------------------------------ cycles

  /**
   * Devices that depend on themselves, found with one depth-first walk over the file's devices
   * (linear in the number of references); each device on a cycle is reported once.
   */
  public void checkCycles(MirageFile file, Problems problems) {
    Map<DeviceDecl, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
    Set<DeviceDecl> reported = new HashSet<>();
    for (Element e : file.getElements()) {
      if (e instanceof DeviceDecl d && !state.containsKey(d)) {
        walk(d, new ArrayList<>(), state, reported, file, problems);
      }
    }
  }

  private void walk(
      DeviceDecl d, List<DeviceDecl> path, Map<DeviceDecl, Integer> state, Set<DeviceDecl> reported,
      MirageFile file, Problems problems) {
    state.put(d, 1);
    path.add(d);
    for (DeviceDecl next : dependencies(d)) {
      Integer s = state.get(next);
      if (s == null) {
        walk(next, path, state, reported, file, problems);
      } else if (s == 1) {
        List<DeviceDecl> cycle = new ArrayList<>(path.subList(path.indexOf(next), path.size()));
        for (DeviceDecl member : cycle) {
          if (member.eResource() == file.eResource() && reported.add(member)) {
            int i = cycle.indexOf(member);
            String order =
                Stream.concat(cycle.subList(i, cycle.size()).stream(), cycle.subList(0, i).stream())
                    .map(DeviceDecl::getName)
                    .map(String::valueOf)
                    .collect(Collectors.joining(" -> "));
            problems.error(
                "device '" + Problems.text(member.getName()) + "' depends on itself: " + order + " -> "
                    + Problems.text(member.getName()),
                member, NAMED__NAME);
          }
        }
      }
    }
    path.remove(path.size() - 1);
    state.put(d, 2);
  }

  /** The devices a device's value names (not resolving anything). */
  private static List<DeviceDecl> dependencies(DeviceDecl d) {
    List<DeviceDecl> result = new ArrayList<>();
    if (d.getValue() == null) {
      return result;
    }
    List<RefExpr> refs = new ArrayList<>();
    if (d.getValue() instanceof RefExpr r) {
      refs.add(r);
    }
    refs.addAll(EcoreUtil2.getAllContentsOfType(d.getValue(), RefExpr.class));
    for (RefExpr r : refs) {
      if (r.eGet(REF_EXPR__REF, false) instanceof DeviceDecl t && !t.eIsProxy()) {
        result.add(t);
      }
    }
    return result;
  }

  // ------------------------------------------------------------------ match coverage

  /**
   * A match's cases: each label a target or a value of its key, none twice, all covered or a
   * default, and no default that is never used. A match on a key needs a configure key of a choice
   * or bool type.
   *
   * @return whether the match's subject is sound, so that its branches can be checked further
   */
  public boolean checkCoverage(MatchExpr m, Problems problems) {
    List<String> allowed;
    if (m.isOnTarget()) {
      allowed = targetNames(m);
    } else {
      KeyDecl key = m.getKey();
      if (key == null || key.eIsProxy()) {
        return false;
      }
      if (key.getStage() != KeyStage.CONFIGURE) {
        problems.error(
            "a match chooses an implementation when the unikernel is generated, so it needs a configure key; '"
                + key.getName() + "' is a runtime key: add 'configure' to its declaration",
            m, MATCH_EXPR__KEY);
        return false;
      }
      Optional<ValueType> type = types.valueType(key.getType());
      if (type.isEmpty()) {
        return false;
      }
      allowed = values(type.get());
      if (allowed == null) {
        problems.error(
            "a match needs a key of a choice or bool type; '" + key.getName() + "' is "
                + Phrasing.article(type.get()),
            m, MATCH_EXPR__KEY);
        return false;
      }
    }
    String subject = m.isOnTarget() ? "target" : "key '" + m.getKey().getName() + "'";
    Set<String> covered = new HashSet<>();
    for (MatchCase c : m.getCases()) {
      for (int i = 0; i < c.getLabels().size(); i++) {
        String label = c.getLabels().get(i);
        if (label == null) {
          // a label the parser could not read: the syntax error says so
        } else if (!allowed.contains(label)) {
          String unknown =
              m.isOnTarget()
                  ? "unknown target '" + label + "'"
                  : "unknown value " + Phrasing.choiceValue(label) + " of key '" + m.getKey().getName() + "'";
          problems.error(
              unknown + DidYouMean.hint(label, allowed) + " (expected one of: " + shown(allowed) + ")",
              c, MATCH_CASE__LABELS, i);
        } else if (!covered.add(label)) {
          problems.error("case " + Phrasing.choiceValue(label) + " is matched twice; remove one", c, MATCH_CASE__LABELS, i);
        }
      }
    }
    List<String> missing = allowed.stream().filter(x -> !covered.contains(x)).toList();
    if (!missing.isEmpty() && m.getDefault() == null) {
      problems.error(
          "the match on " + subject + " does not cover " + shown(missing) + " and has no default; add "
              + ValueType.Choice.show(missing.get(0)) + " -> ... or default -> ...",
          m, m.isOnTarget() ? MATCH_EXPR__ON_TARGET : MATCH_EXPR__KEY);
    }
    if (missing.isEmpty() && m.getDefault() != null) {
      problems.warning(
          "the default is never used: the match on " + subject + " covers all of " + shown(allowed)
              + "; remove it",
          m.getDefault(), null);
    }
    return true;
  }

  /**
   * A match without a default that misses a case: {@link #checkCoverage} reports it once, so the
   * per-target pass need not report it for each target.
   */
  public boolean missesACase(MatchExpr m) {
    if (m.getDefault() != null) {
      return false;
    }
    Set<String> labels = new HashSet<>();
    for (MatchCase c : m.getCases()) {
      labels.addAll(c.getLabels());
    }
    if (m.isOnTarget()) {
      return !labels.containsAll(targetNames(m));
    }
    KeyDecl key = m.getKey();
    if (key == null || key.eIsProxy()) {
      return false;
    }
    Optional<ValueType> type = types.valueType(key.getType());
    if (type.isEmpty()) {
      return false;
    }
    List<String> allowed = type.get() instanceof ValueType.Choice c ? c.values() : List.of("true", "false");
    return !labels.containsAll(allowed);
  }

  private static List<String> targetNames(MatchExpr m) {
    return Visible.targets(EcoreUtil2.getContainerOfType(m, MirageFile.class)).stream()
        .map(TargetDecl::getName)
        .toList();
  }

  /** The labels a match on a key of {@code type} may have; {@code null} for a type it cannot match on. */
  /** Labels as they are written: names bare, other values as strings. */
  private static String shown(List<String> labels) {
    return String.join(", ", labels.stream().map(ValueType.Choice::show).toList());
  }

  private static List<String> values(ValueType type) {
    if (type instanceof ValueType.Choice c) {
      return c.values();
    }
    if (type instanceof ValueType.Primitive p && p.kind() == ValueType.Kind.BOOL) {
      return List.of("true", "false");
    }
    return null;
  }
}
