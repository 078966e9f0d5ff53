package org.mirage4j.runtime;

import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * The one log reporter of a unikernel, MirageOS's {@code Logs} with its {@code -l} option.
 *
 * <p>Code logs through the JDK's {@link System.Logger}: {@code System.getLogger("http")} names the
 * source {@code http}; the runtime's {@link LogFinder} (a service the JDK finds on the class path)
 * makes every such logger report here. The generated {@code main} calls {@link #configure} with
 * what {@code -l}/{@code --logs} said; until then every source reports at {@code info}.
 *
 * <p>A reported message is one line on the console — standard output, which is what the {@code
 * stdout_console} device writes to on {@code unix} and the guest's {@code hvc0} on {@code xen} and
 * {@code arm} — with the time from the wall clock, in UTC, to the millisecond:
 *
 * <pre>2026-12-01T23:40:12.345Z: [INFO] [http] listening on port 8080</pre>
 *
 * <p>Each line is written with one call and flushed, so lines from concurrent threads never
 * interleave. A line break in a message becomes a space; an exception given with the message is
 * added as {@code : <its message>} (its class's name when it has none), never as a stack trace.
 */
public final class Logs {

  /** Always three fraction digits: ISO_INSTANT would drop them on a whole second. */
  private static final DateTimeFormatter TIME =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  private static volatile LogSettings settings = LogSettings.DEFAULT;
  private static volatile PrintStream out; // null: System.out as it is at the time of the write
  private static volatile Clock clock = Clock.systemUTC();

  private Logs() {}

  /** Applies the settings of {@code -l}/{@code --logs} to every logger, those already made too. */
  public static void configure(LogSettings newSettings) {
    settings = Objects.requireNonNull(newSettings, "settings");
  }

  /** The settings in force. */
  public static LogSettings settings() {
    return settings;
  }

  /**
   * Sends the lines to {@code stream} with the time of {@code time} (tests; a wiring that logs
   * elsewhere). {@code null} restores standard output and the system clock.
   */
  public static void output(PrintStream stream, Clock time) {
    out = stream;
    clock = time == null ? Clock.systemUTC() : time;
  }

  /** The logger of {@code source}: what {@code System.getLogger(source)} returns in a unikernel. */
  public static System.Logger logger(String source) {
    return new SourceLogger(Objects.requireNonNull(source, "source"));
  }

  /** Reports one message, if {@code source}'s threshold lets {@code level} through. */
  public static void report(String source, Level level, String message, Throwable thrown) {
    if (!settings.isLoggable(source, level)) {
      return;
    }
    StringBuilder line = new StringBuilder(80);
    line.append(TIME.format(clock.instant()))
        .append(": [").append(label(level)).append("] [").append(source).append("] ")
        .append(message == null ? "" : message);
    if (thrown != null) {
      line.append(": ").append(Lifecycle.describe(thrown));
    }
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\n' || c == '\r') {
        line.setCharAt(i, ' ');
      }
    }
    line.append('\n');
    byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
    PrintStream stream = out != null ? out : System.out;
    synchronized (Logs.class) {
      stream.write(bytes, 0, bytes.length);
      stream.flush();
    }
  }

  private static String label(Level level) {
    return switch (level) {
      case ALL, TRACE -> "TRACE";
      case OFF -> "APP";
      default -> level.name();
    };
  }

  /** A {@link System.Logger} of one source. */
  private record SourceLogger(String source) implements System.Logger {

    @Override
    public String getName() {
      return source;
    }

    @Override
    public boolean isLoggable(Level level) {
      return settings.isLoggable(source, level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      if (isLoggable(level)) {
        report(source, level, localized(bundle, msg), thrown);
      }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      if (!isLoggable(level)) {
        return;
      }
      String pattern = localized(bundle, format);
      String text;
      if (params == null || params.length == 0) {
        text = pattern;
      } else {
        try {
          text = new MessageFormat(pattern == null ? "" : pattern).format(params);
        } catch (IllegalArgumentException e) {
          text = pattern;
        }
      }
      report(source, level, text, null);
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier) {
      if (isLoggable(level)) {
        report(source, level, msgSupplier.get(), null);
      }
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier, Throwable thrown) {
      if (isLoggable(level)) {
        report(source, level, msgSupplier.get(), thrown);
      }
    }

    private static String localized(ResourceBundle bundle, String key) {
      if (bundle == null || key == null) {
        return key;
      }
      try {
        return bundle.getString(key);
      } catch (RuntimeException e) {
        return key;
      }
    }
  }
}
