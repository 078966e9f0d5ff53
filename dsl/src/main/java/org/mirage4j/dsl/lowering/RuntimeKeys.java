package org.mirage4j.dsl.lowering;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.emf.ecore.EObject;
import org.mirage4j.dsl.SourceLocator;
import org.mirage4j.dsl.mirage.JobDecl;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.typing.Constants;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.model.Diagnostic.Code;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/**
 * The runtime keys phase of lowering: every runtime key the nodes and jobs read becomes an option
 * of the generated program ({@code --key}, or {@code --group-key} for {@code key@group}), with its
 * type, default, doc and aliases. Two keys that would be one option, and an alias that is another
 * option or another option's alias, are errors.
 */
final class RuntimeKeys {

  private final MirageTypes types;
  private final Constants constants;
  private final MirageFile file;
  private final SourceLocator locator;
  private final Report report;

  /** Collects the runtime keys of {@code file}'s unikernel. */
  RuntimeKeys(MirageTypes types, Constants constants, MirageFile file, SourceLocator locator, Report report) {
    this.types = types;
    this.constants = constants;
    this.file = file;
    this.locator = locator;
    this.report = report;
  }

  /**
   * The options of the generated program, by name in the order the nodes and jobs use them.
   *
   * @param nodes the nodes of the model
   * @param jobArgs each job's arguments
   */
  Map<String, RuntimeKey> collect(List<Node> nodes, List<JobDecl> jobs, List<List<Evaluated>> jobArgs) {
    Map<String, RuntimeKey> keys = new LinkedHashMap<>();
    Map<String, Evaluated.Key> declOf = new HashMap<>();
    for (Node n : nodes) {
      for (int i = 0; i < n.args.size(); i++) {
        if (n.args.get(i) instanceof Evaluated.Key k) {
          addKey(keys, declOf, k, n.site);
        }
      }
    }
    for (int j = 0; j < jobs.size(); j++) {
      for (Evaluated v : jobArgs.get(j)) {
        if (v instanceof Evaluated.Key k) {
          addKey(keys, declOf, k, jobs.get(j));
        }
      }
    }
    // an alias names one option only: not another option, not another option's alias
    Map<String, String> owner = new HashMap<>();
    keys.keySet().forEach(name -> owner.put(name, name));
    for (Map.Entry<String, RuntimeKey> e : keys.entrySet()) {
      for (String alias : e.getValue().aliases()) {
        String other = owner.putIfAbsent(alias, e.getKey());
        if (other != null && !other.equals(e.getKey())) {
          report.once(Code.KEY, declOf.get(e.getKey()).key(), MiragePackage.Literals.KEY_DECL__ALIASES,
              "alias " + (alias.length() == 1 ? "-" : "--") + alias + " of option --" + e.getKey()
                  + " is also " + (other.equals(alias) ? "an option" : "an alias of option --" + other)
                  + " of this program; choose another");
        }
      }
    }
    return keys;
  }

  private void addKey(Map<String, RuntimeKey> keys, Map<String, Evaluated.Key> declOf, Evaluated.Key k, EObject site) {
    String name = k.optionName();
    Evaluated.Key previous = declOf.putIfAbsent(name, k);
    if (previous != null && !previous.text().equals(k.text())) {
      report.once(Code.KEY, site.eResource() == file.eResource() ? site : file,
              null,
              "runtime keys '" + previous.text() + "' and '" + k.text()
                  + "' would both be the option --" + name + "; rename one or use another group");
      return;
    }
    if (keys.containsKey(name)) {
      return;
    }
    Optional<ValueType> type = types.valueType(k.key().getType());
    if (type.isEmpty()) {
      return;
    }
    Optional<Value> def = Optional.empty();
    if (k.key().getDefault() != null) {
      def = Optional.ofNullable(constants.of(k.key().getDefault(), type.get()).value());
    }
    keys.put(
        name,
        new RuntimeKey(
            name,
            type.get(),
            def,
            k.key().isRequired(),
            k.key().getDoc() == null ? "" : k.key().getDoc(),
            locator.locate(k.key(), null),
            aliases(k)));
  }

  /**
   * A runtime key's other option names: as written ({@code _} as {@code -}); in a group the long
   * ones get the group's prefix, as the name does, and the short ones (one letter) are left out,
   * since every group would want the same letter.
   */
  private List<String> aliases(Evaluated.Key k) {
    List<String> out = new ArrayList<>();
    for (String a : k.key().getAliases()) {
      if (a == null) {
        continue; // a syntax error, reported by the parser
      }
      String base = a.replace('_', '-');
      if (k.group() == null) {
        out.add(base);
      } else if (base.length() > 1) {
        out.add(k.group().replace('_', '-') + "-" + base);
      }
    }
    return out;
  }
}
