package org.mirage4j.model;

import java.util.Objects;

/**
 * A key fixed when the unikernel is generated ({@code -Dmirage.keys=net=direct} or its default).
 *
 * @param name the key's name
 * @param value the value in force
 * @param fromUser whether the value was given by the user rather than being the default
 * @param doc the key's doc string
 * @param location the key's declaration
 */
public record ConfigureKey(
    String name, Value value, boolean fromUser, String doc, SourceLocation location) {

  /** Requires every component. */
  public ConfigureKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(doc, "doc");
    Objects.requireNonNull(location, "location");
  }
}
