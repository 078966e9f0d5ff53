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
  private final java.util.List<String> aliases;

  private Option(String name, KeyType<T> type, Optional<T> defaultValue, String doc, java.util.List<String> aliases) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.defaultValue = defaultValue;
    this.doc = Objects.requireNonNull(doc, "doc");
    this.aliases = java.util.List.copyOf(aliases);
    for (String n : this.aliases) {
      check(n);
    }
    check(name);
  }

  private static void check(String name) {
    if (name.isEmpty() || name.startsWith("-") || name.contains("=")) {
      throw new IllegalArgumentException("not an option name: '" + name + "'");
    }
  }

  /**
   * This option with other names too: one letter is a short option ({@code -p 8080}, {@code
   * -p8080}), a longer one another long option ({@code --pgport=8080}).
   *
   * @param names the names without dashes
   */
  public Option<T> withAliases(String... names) {
    return new Option<>(name, type, defaultValue, doc, java.util.List.of(names));
  }

  /** The other names, without dashes, as given to {@link #withAliases}. */
  public java.util.List<String> aliases() {
    return aliases;
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
    return new Option<>(name, type, Optional.of(defaultValue), doc, java.util.List.of());
  }

  /**
   * An option that must be given.
   *
   * @param name the name without dashes
   * @param type how the value is parsed
   * @param doc one line for {@code --help} (may be empty)
   */
  public static <T> Option<T> required(String name, KeyType<T> type, String doc) {
    return new Option<>(name, type, Optional.empty(), doc, java.util.List.of());
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
