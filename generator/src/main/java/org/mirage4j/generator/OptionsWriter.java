package org.mirage4j.generator;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.UnikernelModel;

/**
 * The command line of the wiring class: one {@code Option} constant per runtime key, the {@code
 * OptionParser} over all of them, and the statements that read each value into a local variable.
 */
final class OptionsWriter {

  static final ClassName OPTION = ClassName.get("org.mirage4j.runtime", "Option");
  static final ClassName OPTION_PARSER = ClassName.get("org.mirage4j.runtime", "OptionParser");
  static final ClassName VALUES = OPTION_PARSER.nestedClass("Values");

  private final UnikernelModel model;
  private final Map<String, String> fieldNames = new LinkedHashMap<>();

  /** Allocates a constant name for every runtime key in {@code fields}. */
  OptionsWriter(UnikernelModel model, NameAllocator fields) {
    this.model = model;
    for (RuntimeKey key : model.runtimeKeys()) {
      fieldNames.put(key.name(), fields.newName(JavaNames.constant(key.name()), "option:" + key.name()));
    }
  }

  /** The constant of a runtime key's option. */
  String fieldName(String keyName) {
    return fieldNames.get(keyName);
  }

  /** The {@code Option} constants, in the model's order (sorted by name). */
  List<FieldSpec> optionFields() {
    List<FieldSpec> fields = new ArrayList<>();
    for (RuntimeKey key : model.runtimeKeys()) {
      CodeBlock init =
          key.defaultValue().isPresent() && !key.required()
              ? CodeBlock.of(
                  "$T.of($S,$W$L,$W$L,$W$S)",
                  OPTION,
                  key.name(),
                  JavaValues.keyType(key.type()),
                  JavaValues.literal(key.defaultValue().get()),
                  key.doc())
              : CodeBlock.of(
                  "$T.required($S,$W$L,$W$S)",
                  OPTION,
                  key.name(),
                  JavaValues.keyType(key.type()),
                  key.doc());
      if (!key.aliases().isEmpty()) {
        CodeBlock.Builder names = CodeBlock.builder();
        for (int i = 0; i < key.aliases().size(); i++) {
          names.add(i == 0 ? "$S" : ",$W$S", key.aliases().get(i));
        }
        init = CodeBlock.of("$L$W.withAliases($L)", init, names.build());
      }
      FieldSpec.Builder f =
          FieldSpec.builder(
                  ParameterizedTypeName.get(OPTION, JavaValues.javaType(key.type()).box()),
                  fieldNames.get(key.name()),
                  Modifier.PUBLIC,
                  Modifier.STATIC,
                  Modifier.FINAL)
              .initializer(init);
      f.addJavadoc("$L", JavaNames.javadoc(
          "Runtime key " + key.name() + " (" + where(key) + "), option --" + key.name() + " of type "
              + key.type().display() + (key.doc().isEmpty() ? "" : ": " + key.doc())));
      fields.add(f.build());
    }
    return fields;
  }

  private static String where(RuntimeKey key) {
    return key.location().file() + ":" + key.location().line();
  }

  /** The parser over every option. */
  FieldSpec parserField(String name, String nameField, String versionField, String description) {
    CodeBlock.Builder list = CodeBlock.builder().add("$T.of(", List.class);
    int i = 0;
    for (String field : fieldNames.values()) {
      list.add(i++ == 0 ? "$L" : ",$W$L", field);
    }
    list.add(")");
    return FieldSpec.builder(OPTION_PARSER, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The command line: one option per runtime key, {@code --help} and {@code --version}.\n")
        .initializer(
            "new $T($L,$W$L,$W$S,$W$L)", OPTION_PARSER, nameField, versionField, description,
            list.build())
        .build();
  }

  /**
   * Statements that read every option's value from {@code values} into a local variable.
   *
   * @return the local variable of each runtime key, by key name
   */
  Map<String, String> readValues(CodeBlock.Builder body, NameAllocator locals, String values) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (RuntimeKey key : model.runtimeKeys()) {
      String var = locals.newName(JavaNames.camel(key.name()), "key:" + key.name());
      vars.put(key.name(), var);
      body.addStatement(
          "$T $L = $L.get($L)",
          JavaValues.javaType(key.type()),
          var,
          values,
          fieldNames.get(key.name()));
    }
    return vars;
  }
}
