package org.mirage4j.dsl.lowering;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 */
final class ConfigureKeys {

  /**
   * The configure keys' values.
   *
   * @param values each key that has a value, by declaration
   * @param keys the same, as the model carries them, by name in declaration order
   */
  record Resolved(Map<KeyDecl, Value> values, Map<String, ConfigureKey> keys) {}

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

  /**
   * Resolves the configure keys {@code file} sees.
   *
   * @param texts the values the user gave, as text, by key name
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
    for (Map.Entry<String, String> e : texts.entrySet()) {
      KeyDecl k = configure.get(e.getKey());
      if (k == null) {
        boolean runtime = keys.stream().anyMatch(x -> x.getName().equals(e.getKey()));
        report.error(Code.COMMAND_LINE, anchor,
                MiragePackage.Literals.UNIKERNEL__NAME,
                runtime
                    ? "'" + e.getKey() + "' is a runtime key: give it to the generated program (--"
                        + e.getKey().replace('_', '-') + "=" + e.getValue() + "), not at configure time"
                    : "unknown configure key '" + e.getKey() + "'"
                        + DidYouMean.hint(e.getKey(), configure.keySet())
                        + (configure.isEmpty() ? "" : " (configure keys: " + String.join(", ", configure.keySet()) + ")"));
      }
    }
    Map<KeyDecl, Value> values = new IdentityHashMap<>();
    Map<String, ConfigureKey> resolved = new LinkedHashMap<>();
    for (KeyDecl k : configure.values()) {
      Optional<ValueType> type = types.valueType(k.getType());
      if (type.isEmpty()) {
        continue;
      }
      String text = texts.get(k.getName());
      Value value = null;
      boolean fromUser = false;
      if (text != null) {
        Parsed<Value> r = KeyValueText.parse(type.get(), text);
        if (r.problem() != null) {
          report.error(Code.COMMAND_LINE, anchor,
                  MiragePackage.Literals.UNIKERNEL__NAME,
                  "configure key '" + k.getName() + "': " + r.problem());
          continue;
        }
        value = r.value();
        fromUser = true;
      } else if (k.getDefault() != null) {
        value = constants.of(k.getDefault(), type.get()).value(); // a bad default is reported by the checker
      }
      if (value == null) {
        if (k.isRequired()) {
          report.error(Code.COMMAND_LINE, anchor,
                  MiragePackage.Literals.UNIKERNEL__NAME,
                  "configure key '" + k.getName() + "' is required; give it a value, e.g. -Dmirage.keys="
                      + k.getName() + "=VALUE or mirage configure --" + k.getName() + "=VALUE");
        }
        continue;
      }
      values.put(k, value);
      resolved.put(
          k.getName(),
          new ConfigureKey(k.getName(), value, fromUser, k.getDoc() == null ? "" : k.getDoc(), locator.locate(k, null)));
    }
    return new Resolved(values, resolved);
  }
}
