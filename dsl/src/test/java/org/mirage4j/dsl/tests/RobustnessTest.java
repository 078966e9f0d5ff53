package org.mirage4j.dsl.tests;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.dsl.StdLib;
import org.mirage4j.model.Diagnostic;
import org.mirage4j.dsl.frontend.MirageFrontEnd;

/**
 * Seeded random mutations of the valid test configurations and of std.mirage (deleted, duplicated,
 * swapped and replaced tokens, random bytes) go through parse, check and lowering for a target:
 * nothing throws, the checker never fails internally, and every diagnostic has a position.
 */
class RobustnessTest {

  private static final int MUTANTS = Integer.getInteger("mirage.fuzz.mutants", 10_000);
  private static final long SEED = 20261127L;

  private static final Pattern TOKEN =
      Pattern.compile(
          "\"(?:[^\"\\\\\\n]|\\\\.)*\"" // strings
              + "|//[^\\n]*" // comments
              + "|\\d+\\.\\d+\\.\\d+\\.\\d+(?:/\\d+)?" // IPv4 addresses and prefixes
              + "|\\d+(?:ms|s|m|h)\\b" // durations
              + "|[A-Za-z_][A-Za-z0-9_]*" // names and keywords
              + "|\\d+" // integers
              + "|->|::|\\S" // punctuation
              + "|\\s+"); // layout

  private static final String[] NOISE = {
    "\"", "{", "}", "(", ")", "[", "]", ",", ":", "=", "@", "-", "/", ".", "->", "::", "\0", "\r", "\t", "\n",
    "é", "\uD83D\uDE00", "\uFFFD", "0", "999999999999999999999", "1.2.3.4/99", "300.1.1.1", "0ms", "match",
    "target", "default", "key", "device", "driver", "job", "type", "import", "unikernel", "configure",
    "required", "true", "list(", "choice(", "//", "/*", "\\"
  };

  private static final Pattern DECLARATION =
      Pattern.compile("^(?:target|type|key|driver|device|job|unikernel|import)\\b", Pattern.MULTILINE);

  /** Declarations of std.mirage per seed. */
  private static final int WINDOW = 12;

  private static final String[] TARGETS = {"unix", "xen", "arm"};

  @Test
  void mutatedConfigurationsGiveDiagnosticsOnly(@TempDir Path dir) throws IOException {
    List<String> seeds = new ArrayList<>();
    try (Stream<Path> files = Files.list(Fixtures.file("good"))) {
      for (Path p : files.sorted().toList()) {
        seeds.add(Files.readString(p));
      }
    }
    String std;
    try (InputStream in = StdLib.class.getClassLoader().getResourceAsStream(StdLib.RESOURCE)) {
      std = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // the standard library as a user's file, in windows of a few declarations (what a window does not
    // declare resolves to the real std), each with a unikernel that uses the main devices
    List<String> declarations = declarations(std);
    for (int from = 0; from < declarations.size(); from += WINDOW / 2) {
      seeds.add(
          String.join("", declarations.subList(from, Math.min(declarations.size(), from + WINDOW)))
              + "\nunikernel fuzz\njob org.example.Fuzz(default_console, default_stack, kv_ro(\"x\"),"
              + " block(\"d\"), kv_rw(\"w\"), default_pclock)\n");
    }
    // a library the good inputs import: keep it in place, and mutate copies of it too
    Files.copy(Fixtures.file("good/drivers.mirage"), dir.resolve("drivers.mirage"));

    List<List<String>> tokenized = seeds.stream().map(RobustnessTest::tokens).toList();
    Random random = new Random(SEED);
    List<String> failures = new ArrayList<>();
    int diagnostics = 0;
    Path config = dir.resolve("config.mirage");
    Files.writeString(config, seeds.get(0), StandardCharsets.UTF_8);
    // one session, its text replaced by each mutant: the standard library and imports stay loaded
    MirageFrontEnd.Session s = MirageFrontEnd.open(config, null, dir);
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    long[] phases = new long[3];
    long start = System.nanoTime();
    for (int i = 0; i < MUTANTS && failures.size() < 5; i++) {
      List<String> tokens = new ArrayList<>(tokenized.get(random.nextInt(tokenized.size())));
      int mutations = 1 + random.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        mutate(tokens, random);
      }
      String text = String.join("", tokens);
      String target = TARGETS[random.nextInt(TARGETS.length)];
      Map<String, String> keys =
          switch (random.nextInt(4)) {
            case 0 -> Map.of("net", "direct");
            case 1 -> Map.of("kv_ro", "direct", "dhcp", "true");
            default -> Map.of();
          };
      try {
        long t0 = cpu.getCurrentThreadCpuTime();
        s.update(text);
        long t1 = cpu.getCurrentThreadCpuTime();
        List<Diagnostic> all = new ArrayList<>(s.check());
        long t2 = cpu.getCurrentThreadCpuTime();
        MirageFrontEnd.Outcome o = s.lower(target, null, keys);
        long t3 = cpu.getCurrentThreadCpuTime();
        phases[0] += t1 - t0;
        phases[1] += t2 - t1;
        phases[2] += t3 - t2;
        all.addAll(o.diagnostics());
        diagnostics += all.size();
        if (o.model() != null && o.diagnostics().stream().anyMatch(Diagnostic::isError)) {
          failures.add("a model despite errors for mutant " + i + ":\n" + text);
        }
        if (o.model() == null && o.diagnostics().stream().noneMatch(Diagnostic::isError)) {
          failures.add("no model and no error for mutant " + i + " on " + target + ":\n" + text);
        }
        for (Diagnostic d : all) {
          if (d.location().line() < 1 || d.location().column() < 1) {
            failures.add("unpositioned " + d + " for mutant " + i);
          }
          if (d.message().contains("internal error") || d.message().startsWith("cannot read")) {
            failures.add(d + "\nfor mutant " + i + " on " + target + " " + keys + ":\n" + text);
          }
        }
      } catch (RuntimeException | StackOverflowError e) {
        failures.add(e + " at " + List.of(e.getStackTrace()).subList(0, Math.min(8, e.getStackTrace().length))
            + "\nfor mutant " + i + " on " + target + " " + keys + ":\n" + text);
      }
    }
    s.close();
    System.out.printf(
        "%d mutants, %d diagnostics, %d ms (CPU ms: parse %d, check %d, lower %d)%n",
        MUTANTS, diagnostics, (System.nanoTime() - start) / 1_000_000,
        phases[0] / 1_000_000, phases[1] / 1_000_000, phases[2] / 1_000_000);
    assertWithMessage(String.join("\n\n", failures)).that(failures).isEmpty();
    // the mutants are mostly broken: a run that reports nothing did not exercise the checker
    assertWithMessage("diagnostics over all mutants").that(diagnostics).isGreaterThan(MUTANTS);
  }

  /** The top-level declarations of a file (each with the comments and layout before it). */
  private static List<String> declarations(String text) {
    List<String> result = new ArrayList<>();
    Matcher m = DECLARATION.matcher(text);
    int start = 0;
    while (m.find()) {
      if (m.start() > start) {
        result.add(text.substring(start, m.start()));
      }
      start = m.start();
    }
    result.add(text.substring(start));
    return result;
  }

  private static List<String> tokens(String text) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(text);
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        tokens.add(text.substring(end, m.start()));
      }
      tokens.add(m.group());
      end = m.end();
    }
    if (end < text.length()) {
      tokens.add(text.substring(end));
    }
    return tokens;
  }

  private static void mutate(List<String> tokens, Random random) {
    if (tokens.isEmpty()) {
      tokens.add(NOISE[random.nextInt(NOISE.length)]);
      return;
    }
    int i = random.nextInt(tokens.size());
    switch (random.nextInt(6)) {
      case 0 -> tokens.remove(i); // delete
      case 1 -> tokens.add(i, tokens.get(i)); // duplicate
      case 2 -> { // swap with the next non-layout token
        int j = i + 1;
        while (j < tokens.size() && tokens.get(j).isBlank()) {
          j++;
        }
        if (j < tokens.size()) {
          String t = tokens.get(i);
          tokens.set(i, tokens.get(j));
          tokens.set(j, t);
        }
      }
      case 3 -> { // swap with any token
        int j = random.nextInt(tokens.size());
        String t = tokens.get(i);
        tokens.set(i, tokens.get(j));
        tokens.set(j, t);
      }
      case 4 -> tokens.set(i, tokens.get(random.nextInt(tokens.size()))); // replace by another token
      default -> { // random bytes inside a token
        String t = tokens.get(i);
        int at = random.nextInt(t.length() + 1);
        StringBuilder noise = new StringBuilder();
        for (int k = random.nextInt(3); k >= 0; k--) {
          noise.append(random.nextBoolean() ? NOISE[random.nextInt(NOISE.length)] : String.valueOf((char) random.nextInt(0x80)));
        }
        tokens.set(i, t.substring(0, at) + noise + t.substring(at));
      }
    }
  }
}
