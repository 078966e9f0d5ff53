package org.mirage4j.dsl.lowering;

import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.emf.ecore.EObject;
import org.mirage4j.dsl.SourceLocator;
import org.mirage4j.dsl.linking.DidYouMean;
import org.mirage4j.dsl.mirage.KeyDecl;
import org.mirage4j.dsl.mirage.KeyStage;
import org.mirage4j.dsl.mirage.MiragePackage;
import org.mirage4j.dsl.mirage.MirageFile;
import org.mirage4j.dsl.scoping.Visible;
import org.mirage4j.dsl.typing.Constants;
import org.mirage4j.dsl.typing.MirageTypes;
import org.mirage4j.dsl.typing.Parsed;
import org.mirage4j.model.ConfigureKey;
import org.mirage4j.model.Diagnostic.Code;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/**
 * The first phase of lowering: the value of every configure key the file sees, from the user's
 * text ({@code -Dmirage.keys}, {@code mirage configure --key=value}) or else the key's default. A
 * key the user named that is not a configure key, a value that does not parse and a required key
 * without a value are errors at the unikernel's name (what a command line would have to fix).
 *
 * <p>A key in a group ({@code match kv_ro@data}, or std's {@code kv_ro@data("htdocs")}) is its own
 * configure key, named {@code data-kv_ro} (MirageOS's {@code --data-kv_ro}), with the key's type and
 * default. Which groups there are is known only once the jobs' arguments are evaluated, so a
 * grouped key is resolved when evaluation first reads it, and a grouped name the user gave that
 * nothing read is reported after evaluation ({@link Resolved#reportUnread}).
 */
final class ConfigureKeys {

  /** The configure keys' values, the grouped ones resolved as evaluation reads them. */
  final class Resolved {
    private final Map<KeyDecl, Value> values;
    private final Map<String, ConfigureKey> keys;
    private final Map<String, String> groupedTexts;
    private final Map<String, Value> grouped = new HashMap<>();
    private final Set<String> read = new HashSet<>();
    private final EObject anchor;

    private Resolved(
        Map<KeyDecl, Value> values, Map<String, ConfigureKey> keys, Map<String, String> groupedTexts, EObject anchor) {
      this.values = values;
      this.keys = keys;
      this.groupedTexts = groupedTexts;
      this.anchor = anchor;
    }

    /** Each key without a group that has a value, by declaration. */
    Map<KeyDecl, Value> values() {
      return values;
    }

    /** The keys with a value, as the model carries them, by name: grouped ones once read. */
    Map<String, ConfigureKey> keys() {
      return keys;
    }

    /**
     * The value of {@code key} in {@code group} ({@code null}: the key itself), or {@code null} when
     * it has none (its problem is reported).
     */
    Value value(KeyDecl key, String group) {
      if (group == null) {
        return values.get(key);
      }
      String name = groupedName(group, key.getName());
      if (read.add(name)) {
        Value v = resolveOne(key, name, groupedTexts.get(name), anchor);
        if (v != null) {
          grouped.put(name, v);
          keys.put(name, modelKey(key, name, v, groupedTexts.containsKey(name)));
        }
      }
      return grouped.get(name);
    }

    /** Reports each grouped key the user gave that evaluation never read. */
    void reportUnread(String target) {
      Set<String> used = new TreeSet<>(read);
      for (String name : groupedTexts.keySet()) {
        if (!read.contains(name)) {
          String group = name.substring(0, name.indexOf('-'));
          String key = name.substring(name.indexOf('-') + 1);
          report.error(Code.COMMAND_LINE, anchor, MiragePackage.Literals.UNIKERNEL__NAME,
              "configure key '" + name + "' is not read on target '" + target + "': nothing in the configuration"
                  + " reads " + key + "@" + group + DidYouMean.hint(name, used)
                  + (used.isEmpty() ? "" : " (grouped configure keys read: " + String.join(", ", used) + ")"));
        }
      }
    }
  }

  private final MirageTypes types;
  private final Constants constants;
  private final SourceLocator locator;
  private final Report report;

  ConfigureKeys(MirageTypes types, Constants constants, SourceLocator locator, Report report) {
    this.types = types;
    this.constants = constants;
    this.locator = locator;
    this.report = report;
  }

  /** The name of {@code key} in {@code group}: {@code data-kv_ro}. */
  static String groupedName(String group, String key) {
    return group + "-" + key;
  }

  /**
   * Resolves the configure keys {@code file} sees.
   *
   * @param texts the values the user gave, as text, by key name ({@code kv_ro}, {@code data-kv_ro})
   * @param anchor where a problem of the command line is shown
   */
  Resolved resolve(MirageFile file, Map<String, String> texts, EObject anchor) {
    List<KeyDecl> keys = Visible.keys(file);
    Map<String, KeyDecl> configure = new LinkedHashMap<>();
    for (KeyDecl k : keys) {
      if (k.getStage() == KeyStage.CONFIGURE) {
        configure.put(k.getName(), k);
      }
    }
    Map<String, String> groupedTexts = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : texts.entrySet()) {
      String given = e.getKey();
      int dash = given.indexOf('-');
      String keyName = dash < 0 ? given : given.substring(dash + 1);
      KeyDecl k = configure.get(keyName);
      if (k != null && dash > 0) {
        groupedTexts.put(given, e.getValue());
      } else if (k == null || dash == 0) {
        boolean runtime = keys.stream().anyMatch(x -> x.getName().equals(keyName));
        report.error(Code.COMMAND_LINE, anchor,
                MiragePackage.Literals.UNIKERNEL__NAME,
                runtime
                    ? "'" + keyName + "' is a runtime key: give it to the generated program (--"
                        + given.replace('_', '-') + "=" + e.getValue() + "), not at configure time"
                    : "unknown configure key '" + given + "'"
                        + DidYouMean.hint(given, configure.keySet())
                        + (configure.isEmpty() ? "" : " (configure keys: " + String.join(", ", configure.keySet()) + ")"));
      }
    }
    Map<KeyDecl, Value> values = new IdentityHashMap<>();
    Map<String, ConfigureKey> resolved = new LinkedHashMap<>();
    for (KeyDecl k : configure.values()) {
      String text = texts.get(k.getName());
      Value value = resolveOne(k, k.getName(), text, anchor);
      if (value != null) {
        values.put(k, value);
        resolved.put(k.getName(), modelKey(k, k.getName(), value, text != null));
      }
    }
    return new Resolved(values, resolved, groupedTexts, anchor);
  }

  /** The value of configure key {@code k} as {@code name}: the user's text, else the default. */
  private Value resolveOne(KeyDecl k, String name, String text, EObject anchor) {
    Optional<ValueType> type = types.valueType(k.getType());
    if (type.isEmpty()) {
      return null;
    }
    if (text != null) {
      Parsed<Value> r = KeyValueText.parse(type.get(), text);
      if (r.problem() != null) {
        report.error(Code.COMMAND_LINE, anchor,
                MiragePackage.Literals.UNIKERNEL__NAME,
                "configure key '" + name + "': " + r.problem());
        return null;
      }
      return r.value();
    }
    Value value = k.getDefault() == null ? null : constants.of(k.getDefault(), type.get()).value(); // a bad default is reported by the checker
    if (value == null && k.isRequired()) {
      report.error(Code.COMMAND_LINE, anchor,
              MiragePackage.Literals.UNIKERNEL__NAME,
              "configure key '" + name + "' is required; give it a value, e.g. -Dmirage.keys="
                  + name + "=VALUE or mirage configure --" + name + "=VALUE");
    }
    return value;
  }

  private ConfigureKey modelKey(KeyDecl k, String name, Value value, boolean fromUser) {
    return new ConfigureKey(name, value, fromUser, k.getDoc() == null ? "" : k.getDoc(), locator.locate(k, null));
  }
}
