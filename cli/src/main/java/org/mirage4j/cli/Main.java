package org.mirage4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.mirage4j.dsl.linking.DidYouMean;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code mirage}: MirageOS's command line for builds without Maven.
 *
 * <p>Exit status: 0 on success, 1 when the configuration has errors (each printed to stderr as
 * {@code file:line:col: error: message}) or a file cannot be read or written, 64 on a usage error
 * (one line on stderr), 70 on an internal error.
 */
@Command(
    name = "mirage",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Configure, build guest images of, boot, describe and check mirage4j unikernels (config.mirage)"
        + " without Maven.",
    subcommands = {
      InitCommand.class,
      ConfigureCommand.class,
      ImageCommand.class,
      BootCommand.class,
      DescribeCommand.class,
      QueryCommand.class,
      FormatCommand.class,
      CheckCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:success",
      "1:errors in the configuration (file:line:col: error: ... on stderr), or a file that cannot be read or written",
      "64:usage error",
      "70:internal error"
    })
public final class Main implements Runnable {

  /** Success. */
  public static final int OK = 0;
  /** Errors in the user's configuration, or an unreadable/unwritable file. */
  public static final int CONFIG_ERROR = 1;
  /** A usage error (sysexits' EX_USAGE, as MirageOS uses). */
  public static final int USAGE = 64;
  /** A bug of ours. */
  public static final int INTERNAL = 70;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams; returns the exit status. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          String name = ex.getCommandLine().getCommandName();
          String where = ex.getCommandLine() == cl ? "mirage" : "mirage " + name;
          ex.getCommandLine().getErr().println(where + ": " + usageMessage(ex, cl) + " (see '" + where + " --help')");
          return USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, c, parsed) -> {
          if (ex instanceof UsageException u) {
            String where = c == cl ? "mirage" : "mirage " + c.getCommandName();
            c.getErr().println(where + ": " + u.getMessage() + " (see '" + where + " --help')");
            return USAGE;
          }
          if (ex instanceof UncheckedIOException || ex instanceof IOException) {
            c.getErr().println("mirage: " + ex.getMessage());
            return CONFIG_ERROR;
          }
          c.getErr().println("mirage: internal error, please report it: " + ex);
          return INTERNAL;
        });
    int status = cl.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /**
   * The one line of a usage error: an unknown word where a command is expected is named as an
   * unknown command, with the closest command; picocli's wording otherwise.
   */
  static String usageMessage(CommandLine.ParameterException ex, CommandLine top) {
    if (ex instanceof CommandLine.UnmatchedArgumentException u && ex.getCommandLine() == top) {
      List<String> unmatched = u.getUnmatched();
      if (!unmatched.isEmpty() && !unmatched.get(0).startsWith("-")) {
        String word = unmatched.get(0);
        List<String> commands = new ArrayList<>(top.getSubcommands().keySet());
        return "unknown command '" + word + "'" + DidYouMean.hint(word, commands)
            + " (commands: " + String.join(", ", commands) + ")";
      }
    }
    return ex.getMessage();
  }

  /** Without a command: a usage error. */
  @Override
  public void run() {
    throw new UsageException("missing command: init, configure, image, boot, describe, query, format or check");
  }

  /** A usage error found after parsing (e.g. a malformed {@code --KEY=VALUE}). */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The version of mirage4j, from the jar. */
  public static String version() {
    Properties p = new Properties();
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through: unknown
    }
    return p.getProperty("version", "unknown");
  }

  /** {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"mirage " + version() + " (mirage4j)"};
    }
  }
}
