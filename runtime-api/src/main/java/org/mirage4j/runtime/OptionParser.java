package org.mirage4j.runtime;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Parses the command line of a generated unikernel into typed runtime-key values.
 *
 * <p>Options are written {@code --name=value} or {@code --name value}; a {@code bool} option may be
 * given bare ({@code --verbose}) to mean {@code true}, and then takes a separate value only if it
 * is literally {@code true} or {@code false}. Options not given take their default; an option given
 * twice, an unknown option, a value that does not parse, a missing required option and any
 * argument that is not an option are usage errors. {@code --help} lists every option with its type,
 * default and doc; {@code --version} prints the version.
 *
 * <p>{@link #parseOrExit} is what generated code calls: a usage error becomes one line on standard
 * error, {@code <program>: <message>}, and exit status {@link Exit#USAGE} (64); help and version
 * go to standard output with status 0. No stack trace is ever printed.
 */
public final class OptionParser {

  private static final String HELP = "help";
  private static final String VERSION = "version";
  private static final String LOGS = "logs";

  private final String program;
  private final String version;
  private final String description;
  private final Map<String, Option<?>> options = new LinkedHashMap<>();
  /** Each alias, to the option it names. */
  private final Map<String, Option<?>> aliases = new HashMap<>();

  /**
   * Creates a parser.
   *
   * @param program the program's name, which starts every message ({@code slides})
   * @param version what {@code --version} prints
   * @param description one line that {@code --help} prints under the usage line
   * @param options the options, in the order {@code --help} lists them; names are unique and
   *     none of {@code help}, {@code version} and {@code logs}
   */
  public OptionParser(String program, String version, String description, List<Option<?>> options) {
    this.program = Objects.requireNonNull(program, "program");
    this.version = Objects.requireNonNull(version, "version");
    this.description = Objects.requireNonNull(description, "description");
    for (Option<?> option : options) {
      if (option.name().equals(HELP) || option.name().equals(VERSION) || option.name().equals(LOGS)) {
        throw new IllegalArgumentException("--" + option.name() + " is built in");
      }
      if (options.stream().filter(o -> o.name().equals(option.name())).count() > 1) {
        throw new IllegalArgumentException("two options named --" + option.name());
      }
      this.options.put(option.name(), option);
    }
    for (Option<?> option : options) {
      for (String alias : option.aliases()) {
        if (alias.equals(HELP) || alias.equals(VERSION) || alias.equals(LOGS) || alias.equals("l")) {
          throw new IllegalArgumentException("alias " + dashed(alias) + " of --" + option.name() + " is built in");
        }
        if (this.options.containsKey(alias) || this.aliases.put(alias, option) != null) {
          throw new IllegalArgumentException("two options named " + dashed(alias));
        }
      }
    }
  }

  /** {@code -p} for a short name, {@code --pgport} for a long one. */
  private static String dashed(String name) {
    return (name.length() == 1 ? "-" : "--") + name;
  }

  /** What the command line asked for besides option values. */
  public enum Request {
    /** Run the unikernel with the parsed values. */
    RUN,
    /** Print {@link #help()} and exit. */
    HELP,
    /** Print the version and exit. */
    VERSION
  }

  /** The parsed values of every option: given on the command line or the default. */
  public static final class Values {
    private final Request request;
    private final Map<Option<?>, Object> values;
    private final LogSettings logs;

    private Values(Request request, Map<Option<?>, Object> values, LogSettings logs) {
      this.request = request;
      this.values = Collections.unmodifiableMap(values);
      this.logs = logs;
    }

    /** What {@code -l}/{@code --logs} asked for ({@link LogSettings#DEFAULT} when not given). */
    public LogSettings logs() {
      return logs;
    }

    /** What was asked for: normally {@link Request#RUN}. */
    public Request request() {
      return request;
    }

    /**
     * The value of {@code option}.
     *
     * @throws IllegalArgumentException if the option does not belong to the parser
     */
    public <T> T get(Option<T> option) {
      Object value = values.get(option);
      if (value == null) {
        throw new IllegalArgumentException(
            request == Request.RUN
                ? option + " is not an option of this parser"
                : "no values are parsed when --" + request.name().toLowerCase(java.util.Locale.ROOT)
                    + " is given");
      }
      // values only ever holds, for an Option<T>, a T parsed by its KeyType<T> or its default
      @SuppressWarnings("unchecked")
      T typed = (T) value;
      return typed;
    }
  }

  /**
   * Parses {@code args}.
   *
   * @return the values; {@link Values#request()} tells whether {@code --help} or {@code --version}
   *     was given (then no value is checked and none may be read)
   * @throws UsageException naming the option and what was expected
   */
  public Values parse(String... args) throws UsageException {
    Map<String, String> given = new HashMap<>();
    List<String> logs = new ArrayList<>();
    Request request = Request.RUN;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("-l") || arg.equals("--" + LOGS)) {
        if (i + 1 >= args.length) {
          throw new UsageException("option " + arg + ": expected log levels (debug, warning,http:debug), got nothing");
        }
        logs.add(args[++i]);
        continue;
      }
      if (arg.startsWith("--" + LOGS + "=")) {
        logs.add(arg.substring(LOGS.length() + 3));
        continue;
      }
      if (arg.startsWith("-l") && !arg.startsWith("--")) {
        logs.add(arg.substring(2));
        continue;
      }
      Option<?> shortOption = arg.length() >= 2 && arg.charAt(0) == '-' && arg.charAt(1) != '-'
          ? aliases.get(arg.substring(1, 2)) : null;
      if (shortOption != null) {
        // a short option: -p 8080, -p8080 or -p=8080, a flag alone as -v
        Option<?> option = shortOption;
        String rest = arg.substring(2);
        String text;
        if (!rest.isEmpty()) {
          text = rest.startsWith("=") ? rest.substring(1) : rest;
        } else if (option.type().isFlag()) {
          text = "true";
        } else if (i + 1 < args.length) {
          text = args[++i];
        } else {
          throw new UsageException("option " + arg + ": expected " + option.type().expected() + ", got nothing");
        }
        give(given, option, text);
        continue;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException(
            arg.startsWith("-")
                ? "unknown option " + show(arg) + suggestion(arg) + "; see --help"
                : "unexpected argument '" + show(arg) + "': options are written --name=value");
      }
      int eq = arg.indexOf('=');
      String name = arg.substring(2, eq < 0 ? arg.length() : eq);
      if (name.equals(HELP) || name.equals(VERSION)) {
        if (eq >= 0) {
          throw new UsageException("option --" + name + " takes no value");
        }
        if (request == Request.RUN) {
          request = name.equals(HELP) ? Request.HELP : Request.VERSION;
        }
        continue;
      }
      Option<?> option = options.containsKey(name) ? options.get(name) : name.length() > 1 ? aliases.get(name) : null;
      if (option == null) {
        throw new UsageException(
            "unknown option --" + show(name) + suggestion(name) + "; see --help");
      }
      String text;
      if (eq >= 0) {
        text = arg.substring(eq + 1);
      } else if (option.type().isFlag()) {
        boolean explicit =
            i + 1 < args.length && (args[i + 1].equals("true") || args[i + 1].equals("false"));
        text = explicit ? args[++i] : "true";
      } else if (i + 1 < args.length) {
        text = args[++i];
      } else {
        throw new UsageException(
            "option --" + name + ": expected " + option.type().expected() + ", got nothing");
      }
      give(given, option, text);
    }
    Map<Option<?>, Object> values = new HashMap<>();
    if (request != Request.RUN) {
      return new Values(request, values, LogSettings.DEFAULT);
    }
    LogSettings logSettings;
    try {
      logSettings = LogSettings.parse(logs);
    } catch (IllegalArgumentException e) {
      throw new UsageException("option --logs: " + show(e.getMessage()));
    }
    List<Option<?>> missing = new ArrayList<>();
    for (Option<?> option : options.values()) {
      String text = given.get(option.name());
      if (text != null) {
        try {
          values.put(option, option.type().parse(text));
        } catch (IllegalArgumentException e) {
          throw new UsageException("option --" + option.name() + ": " + show(e.getMessage()));
        }
      } else if (option.defaultValue().isPresent()) {
        values.put(option, option.defaultValue().get());
      } else {
        missing.add(option);
      }
    }
    if (missing.size() == 1) {
      Option<?> option = missing.get(0);
      throw new UsageException(
          "option --" + option.name() + " is required: expected " + option.type().expected());
    }
    if (!missing.isEmpty()) {
      List<String> each = new ArrayList<>();
      for (Option<?> option : missing) {
        each.add("--" + option.name() + " (" + option.type().expected() + ")");
      }
      throw new UsageException("options " + String.join(", ", each) + " are required");
    }
    return new Values(request, values, logSettings);
  }

  /** Records {@code text} for {@code option}, under its name, whichever name it was given by. */
  private static void give(Map<String, String> given, Option<?> option, String text) throws UsageException {
    String name = option.name();
    String before = given.put(name, text);
    if (before != null && option.type().isList()) {
      // --alpn=h2 --alpn=http/1.1 is --alpn=h2,http/1.1
      given.put(name, before.isEmpty() ? text : text.isEmpty() ? before : before + "," + text);
    } else if (before != null) {
      throw new UsageException("option --" + name + ": given more than once");
    }
  }

  /**
   * Parses {@code args} for a generated {@code main}: prints help, the version or one usage-error
   * line to {@link System#out} or {@link System#err} and exits through {@code exit}.
   */
  public Values parseOrExit(String[] args, Exit exit) {
    return parseOrExit(args, exit, System.out, System.err);
  }

  /**
   * As {@link #parseOrExit(String[], Exit)}, printing to the given streams.
   *
   * @return the values, when the unikernel is to run
   */
  public Values parseOrExit(String[] args, Exit exit, PrintStream out, PrintStream err) {
    Values values;
    try {
      values = parse(args);
    } catch (UsageException e) {
      err.println(program + ": " + e.getMessage());
      err.flush();
      exit.exit(Exit.USAGE);
      throw new IllegalStateException("Exit.exit returned");
    }
    switch (values.request()) {
      case HELP:
        out.print(help());
        out.flush();
        exit.exit(Exit.OK);
        throw new IllegalStateException("Exit.exit returned");
      case VERSION:
        out.println(program + " " + version);
        out.flush();
        exit.exit(Exit.OK);
        throw new IllegalStateException("Exit.exit returned");
      default:
        return values;
    }
  }

  /** The text of {@code --help}: usage, description, and one line per option. */
  public String help() {
    List<String[]> rows = new ArrayList<>();
    for (Option<?> option : options.values()) {
      String names = "";
      for (String alias : option.aliases()) {
        names += dashed(alias) + ", ";
      }
      String syntax =
          names + (option.type().isFlag()
              ? "--" + option.name() + "[=<bool>]"
              : "--" + option.name() + "=<" + option.type().name() + ">");
      String doc = option.doc().isEmpty() ? "" : option.doc() + " ";
      rows.add(new String[] {syntax, doc + "(" + option.type().name() + ", " + defaultText(option) + ")"});
    }
    rows.add(new String[] {"-l, --logs=<levels>",
        "log thresholds, comma-separated: a level, or source:level (levels "
            + String.join(", ", LogSettings.LEVELS) + "; default " + LogSettings.DEFAULT + ")"});
    rows.add(new String[] {"--help", "print this help and exit"});
    rows.add(new String[] {"--version", "print the version and exit"});
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    StringBuilder sb = new StringBuilder();
    sb.append("Usage: ").append(program).append(" [--name=value]...\n");
    if (!description.isEmpty()) {
      sb.append(description).append('\n');
    }
    sb.append("\nOptions:\n");
    for (String[] row : rows) {
      sb.append("  ").append(row[0]);
      sb.append(" ".repeat(width - row[0].length() + 2)).append(row[1]).append('\n');
    }
    return sb.toString();
  }

  private static <T> String defaultText(Option<T> option) {
    if (option.defaultValue().isEmpty()) {
      return "required";
    }
    String text = option.type().format(option.defaultValue().get());
    return "default " + (text.isEmpty() ? "empty" : text);
  }

  private String suggestion(String unknown) {
    String bare = unknown.replaceFirst("^-+", "");
    int eq = bare.indexOf('=');
    if (eq >= 0) {
      bare = bare.substring(0, eq);
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    List<String> names = new ArrayList<>(options.keySet());
    names.add(HELP);
    names.add(VERSION);
    for (String name : names) {
      int d = distance(bare, name);
      if (d < bestDistance) {
        best = name;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(2, best.length() / 3)
        ? " (did you mean --" + best + "?)"
        : "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** Text from the command line, made safe for one line of output. */
  private static String show(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (Character.isISOControl(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
