package org.mirage4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mirage4j.dsl.formatting2.MirageFormatting;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mirage format}: the canonical layout of {@code .mirage} files. */
@Command(
    name = "format",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    header = "Formats .mirage files, or checks that they are formatted.",
    description = {
      "Rewrites each FILE in the canonical layout (spaces, line breaks, indentation; tokens and"
          + " comments are kept) and prints the name of each file it changed. A file with a syntax"
          + " error is left as it is and its first error is printed.",
      "With --check nothing is written: each file that is not formatted is named on stderr"
          + " ('FILE: not formatted') and the exit status is 1."
    })
final class FormatCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Files to format (default: config.mirage).")
  List<Path> files = new ArrayList<>();

  @Option(names = "--check", description = "Write nothing; exit 1 if a file is not formatted.")
  boolean check;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean failed = false;
    for (Path file : files.isEmpty() ? List.of(Path.of("config.mirage")) : files) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (MalformedInputException e) {
        err.println(file + ":1:1: error: not UTF-8 text");
        failed = true;
        continue;
      } catch (IOException e) {
        err.println(file + ":1:1: error: cannot read the file: " + describe(e));
        failed = true;
        continue;
      }
      String formatted;
      try {
        formatted = MirageFormatting.format(text, file.toString());
      } catch (MirageFormatting.SyntaxError e) {
        err.println(e.getMessage());
        failed = true;
        continue;
      }
      if (formatted.equals(text)) {
        continue;
      }
      if (check) {
        err.println(file + ": not formatted");
        failed = true;
        continue;
      }
      try {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".mirage-format", ".tmp");
        try {
          Files.writeString(tmp, formatted, StandardCharsets.UTF_8);
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
        out.println(file);
      } catch (IOException e) {
        err.println(file + ":1:1: error: cannot write the file: " + describe(e));
        failed = true;
      }
    }
    out.flush();
    err.flush();
    return failed ? Main.CONFIG_ERROR : Main.OK;
  }

  private static String describe(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException ? "no such file"
        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
