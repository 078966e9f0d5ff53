package org.mirage4j.runtime;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code -l}/{@code --logs} says: a threshold for every source and thresholds for named
 * sources, as MirageOS's {@code -l debug}, {@code -l warning,http:debug} or {@code -l *:error}.
 *
 * <p>A source is the name a logger was obtained with ({@code System.getLogger("http")}). A source
 * threshold applies to that name and to the names below it ({@code http} also covers {@code
 * http.client}); the longest matching source wins, otherwise the default applies.
 *
 * @param defaultLevel the threshold of every source not named
 * @param sources the thresholds of named sources, in the order given
 */
public record LogSettings(Level defaultLevel, Map<String, Level> sources) {

  /** MirageOS's default: every source at {@code info}. */
  public static final LogSettings DEFAULT = new LogSettings(Level.INFO, Map.of());

  /** The level names {@code -l} accepts, least verbose first. */
  public static final List<String> LEVELS = List.of("quiet", "error", "warning", "info", "debug", "trace");

  public LogSettings {
    Objects.requireNonNull(defaultLevel, "defaultLevel");
    sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
  }

  /**
   * Parses one or more {@code -l} values, later entries winning: each value is a comma-separated
   * list of {@code level}, {@code *:level} or {@code source:level}.
   *
   * @throws IllegalArgumentException with a message naming the bad entry and what is expected
   */
  public static LogSettings parse(List<String> values) {
    Level all = DEFAULT.defaultLevel();
    Map<String, Level> sources = new LinkedHashMap<>();
    for (String value : values) {
      if (value.isBlank()) {
        throw new IllegalArgumentException(
            "expected a level or source:level, got nothing (levels: " + String.join(", ", LEVELS) + ")");
      }
      for (String entry : value.split(",", -1)) {
        String e = entry.strip();
        int colon = e.lastIndexOf(':');
        String source = colon < 0 ? "*" : e.substring(0, colon).strip();
        Level level = level(colon < 0 ? e : e.substring(colon + 1).strip(), e);
        if (source.isEmpty()) {
          throw new IllegalArgumentException("'" + e + "' names no source: write source:level or *:level");
        }
        if (source.equals("*")) {
          all = level;
          sources.clear();
        } else {
          sources.remove(source);
          sources.put(source, level);
        }
      }
    }
    return new LogSettings(all, sources);
  }

  private static Level level(String name, String entry) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "quiet":
      case "off":
        return Level.OFF;
      case "error":
        return Level.ERROR;
      case "warning":
      case "warn":
        return Level.WARNING;
      case "info":
        return Level.INFO;
      case "debug":
        return Level.DEBUG;
      case "trace":
        return Level.TRACE;
      default:
        throw new IllegalArgumentException(
            "unknown log level '" + name + "' in '" + entry + "': expected one of "
                + String.join(", ", LEVELS));
    }
  }

  /** The threshold of {@code source}: that of the longest named source covering it, else the default. */
  public Level threshold(String source) {
    String s = source;
    while (true) {
      Level level = sources.get(s);
      if (level != null) {
        return level;
      }
      int dot = s.lastIndexOf('.');
      if (dot < 0) {
        return defaultLevel;
      }
      s = s.substring(0, dot);
    }
  }

  /** Whether a message of {@code level} from {@code source} is reported. */
  public boolean isLoggable(String source, Level level) {
    Level threshold = threshold(source);
    return threshold != Level.OFF && level != Level.OFF && level.getSeverity() >= threshold.getSeverity();
  }

  /** The settings written back as one {@code -l} value ({@code info,http:debug}). */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    parts.add(name(defaultLevel));
    sources.forEach((s, l) -> parts.add(s + ":" + name(l)));
    return String.join(",", parts);
  }

  /** The {@code -l} name of a level ({@code warning} for {@link Level#WARNING}). */
  public static String name(Level level) {
    return switch (level) {
      case OFF -> "quiet";
      case ALL -> "trace";
      default -> level.name().toLowerCase(Locale.ROOT);
    };
  }
}
