package org.mirage4j.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * One command-line option of a generated unikernel: a runtime key with its type, default and doc.
 * The generated wiring declares one constant per runtime key and reads its value with {@link
 * OptionParser.Values#get(Option)}.
 *
 * @param <T> the Java type of the value
 */
public final class Option<T> {

  private final String name;
  private final KeyType<T> type;
  private final Optional<T> defaultValue;
  private final String doc;

  private Option(String name, KeyType<T> type, Optional<T> defaultValue, String doc) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.defaultValue = defaultValue;
    this.doc = Objects.requireNonNull(doc, "doc");
    if (name.isEmpty() || name.startsWith("-") || name.contains("=")) {
      throw new IllegalArgumentException("not an option name: '" + name + "'");
    }
  }

  /**
   * An option with a default value.
   *
   * @param name the name without dashes ({@code port})
   * @param type how the value is parsed
   * @param defaultValue the value when the option is not given
   * @param doc one line for {@code --help} (may be empty)
   */
  public static <T> Option<T> of(String name, KeyType<T> type, T defaultValue, String doc) {
    return new Option<>(name, type, Optional.of(defaultValue), doc);
  }

  /**
   * An option that must be given.
   *
   * @param name the name without dashes
   * @param type how the value is parsed
   * @param doc one line for {@code --help} (may be empty)
   */
  public static <T> Option<T> required(String name, KeyType<T> type, String doc) {
    return new Option<>(name, type, Optional.empty(), doc);
  }

  /** The name without dashes. */
  public String name() {
    return name;
  }

  /** The value's type. */
  public KeyType<T> type() {
    return type;
  }

  /** The default, or empty when the option is required. */
  public Optional<T> defaultValue() {
    return defaultValue;
  }

  /** Whether the option must be given. */
  public boolean isRequired() {
    return defaultValue.isEmpty();
  }

  /** The doc line. */
  public String doc() {
    return doc;
  }

  @Override
  public String toString() {
    return "--" + name;
  }
}
