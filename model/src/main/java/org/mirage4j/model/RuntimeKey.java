package org.mirage4j.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A key read when the unikernel starts: a command-line option {@code --name=value} of the generated
 * program.
 *
 * @param name the option's name without dashes ({@code port}, or {@code net0-interface} for key
 *     {@code interface} in group {@code net0}); unique within the model
 * @param type the value's type
 * @param defaultValue the value when the option is not given, unless {@code required}
 * @param required whether the option must be given
 * @param doc the key's doc string (may be empty)
 * @param location the key's declaration
 * @param aliases the option's other names without dashes ({@code key port ... alias p, pgport}):
 *     one letter is a short option ({@code -p 8080}), a longer one another long option
 *     ({@code --pgport=8080})
 */
public record RuntimeKey(
    String name,
    ValueType type,
    Optional<Value> defaultValue,
    boolean required,
    String doc,
    SourceLocation location,
    List<String> aliases) {

  /** A key without aliases. */
  public RuntimeKey(String name, ValueType type, Optional<Value> defaultValue, boolean required, String doc,
      SourceLocation location) {
    this(name, type, defaultValue, required, doc, location, List.of());
  }

  /** Requires every component. */
  public RuntimeKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(doc, "doc");
    Objects.requireNonNull(location, "location");
    aliases = List.copyOf(aliases);
  }
}
