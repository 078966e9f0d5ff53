package org.mirage4j.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirage4j.api.Ipv4Address;
import org.mirage4j.api.Ipv4Prefix;
import org.mirage4j.api.Ipv6Address;
import org.mirage4j.api.Ipv6Prefix;

class OptionParserTest {

  static final Option<Long> COUNT = Option.of("count", KeyType.INT, 3L, "how many");
  static final Option<Boolean> VERBOSE = Option.of("verbose", KeyType.BOOL, false, "talk more");
  static final Option<String> NAME = Option.of("name", KeyType.STRING, "", "a name");
  static final Option<Integer> PORT = Option.of("port", KeyType.PORT, 8080, "TCP port that serves the slides");
  static final Option<Ipv4Address> GATEWAY =
      Option.of("gateway", KeyType.IPV4_ADDRESS, Ipv4Address.parse("10.0.0.1"), "the router");
  static final Option<Ipv4Prefix> IPV4 =
      Option.of("ipv4", KeyType.IPV4_PREFIX, Ipv4Prefix.parse("10.0.0.2/24"), "");
  static final Option<Duration> TIMEOUT =
      Option.of("timeout", KeyType.DURATION, Duration.ofSeconds(30), "idle timeout");
  static final Option<String> MODE =
      Option.of("mode", KeyType.choice("fast", "safe"), "safe", "how to run");
  static final Option<List<Integer>> PORTS =
      Option.of("ports", KeyType.list(KeyType.PORT), List.of(80, 443), "extra ports");
  static final Option<String> TOKEN = Option.required("token", KeyType.STRING, "secret");

  static OptionParser parser() {
    return new OptionParser(
        "slides",
        "1.2.3",
        "Unikernel slides.",
        List.of(COUNT, VERBOSE, NAME, PORT, GATEWAY, IPV4, TIMEOUT, MODE, PORTS, TOKEN));
  }

  @Test
  void defaultsApplyWhenOptionsAreNotGiven() throws Exception {
    OptionParser.Values v = parser().parse("--token=x");
    assertThat(v.request()).isEqualTo(OptionParser.Request.RUN);
    assertThat(v.get(COUNT)).isEqualTo(3L);
    assertThat(v.get(VERBOSE)).isFalse();
    assertThat(v.get(NAME)).isEmpty();
    assertThat(v.get(PORT)).isEqualTo(8080);
    assertThat(v.get(GATEWAY)).isEqualTo(Ipv4Address.parse("10.0.0.1"));
    assertThat(v.get(IPV4)).isEqualTo(Ipv4Prefix.parse("10.0.0.2/24"));
    assertThat(v.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
    assertThat(v.get(MODE)).isEqualTo("safe");
    assertThat(v.get(PORTS)).containsExactly(80, 443).inOrder();
    assertThat(v.get(TOKEN)).isEqualTo("x");
  }

  @Test
  void everyTypeParsesInBothSpellings() throws Exception {
    OptionParser.Values v =
        parser()
            .parse(
                "--count=-42", "--verbose", "--name", "hello world", "--port", "0",
                "--gateway=192.168.1.254", "--ipv4", "172.16.0.9/12", "--timeout=1h30m",
                "--mode", "fast", "--ports=1,65535, 22", "--token", "");
    assertThat(v.get(COUNT)).isEqualTo(-42L);
    assertThat(v.get(VERBOSE)).isTrue();
    assertThat(v.get(NAME)).isEqualTo("hello world");
    assertThat(v.get(PORT)).isEqualTo(0);
    assertThat(v.get(GATEWAY).toString()).isEqualTo("192.168.1.254");
    assertThat(v.get(IPV4).toString()).isEqualTo("172.16.0.9/12");
    assertThat(v.get(TIMEOUT)).isEqualTo(Duration.ofMinutes(90));
    assertThat(v.get(MODE)).isEqualTo("fast");
    assertThat(v.get(PORTS)).containsExactly(1, 65535, 22).inOrder();
    assertThat(v.get(TOKEN)).isEmpty();
  }

  @Test
  void durationsTakeEveryUnit() {
    assertThat(KeyType.DURATION.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(KeyType.DURATION.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(KeyType.DURATION.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(KeyType.DURATION.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(KeyType.DURATION.parse("1m30s250ms")).isEqualTo(Duration.ofMillis(90_250));
    assertThat(KeyType.DURATION.format(Duration.ofMillis(90_000))).isEqualTo("90s");
    assertThat(KeyType.DURATION.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(KeyType.DURATION.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(KeyType.DURATION.format(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void boolTakesAnExplicitValueOnlyWhenItIsOne() throws Exception {
    assertThat(parser().parse("--verbose=false", "--token=t").get(VERBOSE)).isFalse();
    assertThat(parser().parse("--verbose", "false", "--token=t").get(VERBOSE)).isFalse();
    assertThat(parser().parse("--verbose", "true", "--token=t").get(VERBOSE)).isTrue();
    // a bare flag does not swallow the next option
    OptionParser.Values v = parser().parse("--verbose", "--token", "t");
    assertThat(v.get(VERBOSE)).isTrue();
    assertThat(v.get(TOKEN)).isEqualTo("t");
  }

  @Test
  void emptyListIsWrittenAsEmptyText() throws Exception {
    assertThat(parser().parse("--ports=", "--token=t").get(PORTS)).isEmpty();
    // a list option may be repeated: the values add up, in order (--alpn=h2 --alpn=http/1.1)
    assertThat(parser().parse("--ports=1", "--ports", "2,3", "--token=t", "--ports=4").get(PORTS))
        .containsExactly(1, 2, 3, 4).inOrder();
    assertThat(parser().parse("--ports=", "--ports=5", "--token=t").get(PORTS)).containsExactly(5);
  }

  @Test
  void choiceValuesThatAreNotNamesAreGivenAsWritten() throws Exception {
    Option<List<String>> alpn =
        Option.of("alpn", KeyType.list(KeyType.choice("h2", "http/1.1")), List.of("h2"), "protocols offered");
    OptionParser p = new OptionParser("alpn", "1", "ALPN.", List.of(alpn));
    assertThat(p.parse("--alpn=http/1.1").get(alpn)).containsExactly("http/1.1");
    assertThat(p.parse("--alpn=h2,http/1.1").get(alpn)).containsExactly("h2", "http/1.1").inOrder();
    assertThat(p.parse("--alpn=h2", "--alpn=http/1.1").get(alpn)).containsExactly("h2", "http/1.1").inOrder();
    assertThat(assertThrows(UsageException.class, () -> p.parse("--alpn=http/2")))
        .hasMessageThat().isEqualTo("option --alpn: expected a comma-separated list, each one of h2, http/1.1, got 'http/2'");
    assertThat(p.help()).contains("list(choice(h2, http/1.1))");
  }

  private static String usageError(String... args) {
    UsageException e = assertThrows(UsageException.class, () -> parser().parse(args));
    return e.getMessage();
  }

  @Test
  void badValuesNameTheOptionAndWhatWasExpected() {
    assertThat(usageError("--port=abc", "--token=t"))
        .isEqualTo("option --port: expected a port (0-65535), got 'abc'");
    assertThat(usageError("--port=65536", "--token=t"))
        .isEqualTo("option --port: expected a port (0-65535), got '65536'");
    assertThat(usageError("--port=-1", "--token=t"))
        .isEqualTo("option --port: expected a port (0-65535), got '-1'");
    assertThat(usageError("--count=1.5", "--token=t"))
        .isEqualTo("option --count: expected an integer, got '1.5'");
    assertThat(usageError("--count=99999999999999999999", "--token=t"))
        .isEqualTo("option --count: expected an integer, got '99999999999999999999'");
    assertThat(usageError("--verbose=yes", "--token=t"))
        .isEqualTo("option --verbose: expected true or false, got 'yes'");
    assertThat(usageError("--gateway=10.0.0.256", "--token=t"))
        .isEqualTo("option --gateway: expected an IPv4 address like 10.0.0.2, got '10.0.0.256'");
    assertThat(usageError("--ipv4=10.0.0.2", "--token=t"))
        .isEqualTo("option --ipv4: expected an IPv4 prefix like 10.0.0.2/24, got '10.0.0.2'");
    assertThat(usageError("--ipv4=10.0.0.2/33", "--token=t"))
        .isEqualTo("option --ipv4: expected an IPv4 prefix like 10.0.0.2/24, got '10.0.0.2/33'");
    assertThat(usageError("--timeout=30", "--token=t"))
        .isEqualTo("option --timeout: expected a duration like 30s, 500ms, 2m or 1h, got '30'");
    assertThat(usageError("--timeout=3d", "--token=t"))
        .isEqualTo("option --timeout: expected a duration like 30s, 500ms, 2m or 1h, got '3d'");
    assertThat(usageError("--mode=slow", "--token=t"))
        .isEqualTo("option --mode: expected one of fast, safe, got 'slow'");
    assertThat(usageError("--ports=80,x", "--token=t"))
        .isEqualTo("option --ports: expected a comma-separated list, each a port (0-65535), got '80,x'");
  }

  @Test
  void aliasesAreOtherNamesOfAnOption() throws UsageException {
    Option<Integer> port = Option.of("port", KeyType.PORT, 5432, "where it listens").withAliases("p", "pgport");
    Option<Boolean> verbose = Option.of("verbose", KeyType.BOOL, false, "").withAliases("v");
    OptionParser p = new OptionParser("db", "1", "", List.of(port, verbose));
    assertThat(p.parse("-p", "6000").get(port)).isEqualTo(6000);
    assertThat(p.parse("-p6001").get(port)).isEqualTo(6001);
    assertThat(p.parse("-p=6002").get(port)).isEqualTo(6002);
    assertThat(p.parse("--pgport=6003").get(port)).isEqualTo(6003);
    assertThat(p.parse("--pgport", "6004", "-v").get(verbose)).isTrue();
    assertThat(p.parse("-v").get(port)).isEqualTo(5432);
    // one option, whichever name gives it
    UsageException twice = assertThrows(UsageException.class, () -> p.parse("-p", "1", "--port=2"));
    assertThat(twice).hasMessageThat().isEqualTo("option --port: given more than once");
    UsageException bad = assertThrows(UsageException.class, () -> p.parse("-p", "x"));
    assertThat(bad).hasMessageThat().isEqualTo("option --port: expected a port (0-65535), got 'x'");
    assertThat(assertThrows(UsageException.class, () -> p.parse("-p")))
        .hasMessageThat().isEqualTo("option -p: expected a port (0-65535), got nothing");
    assertThat(assertThrows(UsageException.class, () -> p.parse("-x")))
        .hasMessageThat().startsWith("unknown option -x");
    assertThat(p.help()).contains("  -p, --pgport, --port=<port>  where it listens (port, default 5432)\n");
    assertThat(p.help()).contains("  -v, --verbose[=<bool>]");
    // an alias names one option, and none of the built-in ones
    assertThrows(IllegalArgumentException.class,
        () -> new OptionParser("db", "1", "", List.of(port, Option.of("pid", KeyType.INT, 1L, "").withAliases("p"))));
    assertThrows(IllegalArgumentException.class,
        () -> new OptionParser("db", "1", "", List.of(Option.of("level", KeyType.INT, 1L, "").withAliases("l"))));
    assertThrows(IllegalArgumentException.class,
        () -> new OptionParser("db", "1", "", List.of(port, Option.of("pgport", KeyType.INT, 1L, ""))));
  }

  @Test
  void missingValueRequiredOptionRepeatsAndStrayArguments() {
    assertThat(usageError("--token=t", "--port"))
        .isEqualTo("option --port: expected a port (0-65535), got nothing");
    assertThat(usageError()).isEqualTo("option --token is required: expected a string");
    assertThat(usageError("--token=a", "--token=b")).isEqualTo("option --token: given more than once");
    assertThat(usageError("--token=a", "extra"))
        .isEqualTo("unexpected argument 'extra': options are written --name=value");
    assertThat(usageError("--help=yes")).isEqualTo("option --help takes no value");
  }

  @Test
  void everyMissingRequiredOptionIsNamedAtOnce() {
    Option<String> user = Option.required("user", KeyType.STRING, "");
    Option<Integer> pgport = Option.required("pgport", KeyType.PORT, "");
    OptionParser two = new OptionParser("db", "1", "", List.of(user, pgport, COUNT));
    UsageException e = assertThrows(UsageException.class, () -> two.parse("--count=2"));
    assertThat(e).hasMessageThat()
        .isEqualTo("options --user (a string), --pgport (a port (0-65535)) are required");
  }

  @Test
  void logsAreParsedFromShortAndLongFormsAndMayRepeat() throws Exception {
    OptionParser.Values v = parser().parse("--token=t", "-l", "warning,http:debug");
    assertThat(v.logs().defaultLevel()).isEqualTo(System.Logger.Level.WARNING);
    assertThat(v.logs().threshold("http")).isEqualTo(System.Logger.Level.DEBUG);
    assertThat(v.logs().threshold("http.client")).isEqualTo(System.Logger.Level.DEBUG);
    assertThat(v.logs().threshold("dns")).isEqualTo(System.Logger.Level.WARNING);
    assertThat(parser().parse("--token=t", "--logs=debug").logs().toString()).isEqualTo("debug");
    assertThat(parser().parse("--token=t", "--logs", "error", "-ltcp:trace").logs().toString())
        .isEqualTo("error,tcp:trace");
    // a later *:level resets the sources, as in MirageOS
    assertThat(parser().parse("--token=t", "-l", "http:debug", "-l", "*:error").logs().toString())
        .isEqualTo("error");
    assertThat(parser().parse("--token=t").logs()).isEqualTo(LogSettings.DEFAULT);
  }

  @Test
  void badLogLevelsAreUsageErrors() {
    assertThat(usageError("--token=t", "-l", "verbose"))
        .isEqualTo("option --logs: unknown log level 'verbose' in 'verbose': expected one of"
            + " quiet, error, warning, info, debug, trace");
    assertThat(usageError("--token=t", "-l", ":debug"))
        .isEqualTo("option --logs: ':debug' names no source: write source:level or *:level");
    assertThat(usageError("--token=t", "-l"))
        .isEqualTo("option -l: expected log levels (debug, warning,http:debug), got nothing");
    assertThrows(IllegalArgumentException.class,
        () -> new OptionParser("x", "1", "", List.of(Option.of("logs", KeyType.STRING, "", ""))));
  }

  @Test
  void unknownOptionsAreNamedWithASuggestion() {
    assertThat(usageError("--prot=80")).isEqualTo("unknown option --prot (did you mean --port?); see --help");
    assertThat(usageError("--zzzzzzzz")).isEqualTo("unknown option --zzzzzzzz; see --help");
    assertThat(usageError("-p")).isEqualTo("unknown option -p; see --help");
    assertThat(usageError("--")).isEqualTo("unknown option --; see --help");
  }

  @Test
  void controlCharactersNeverBreakTheLine() {
    assertThat(usageError("--port=1\n2", "--token=t"))
        .isEqualTo("option --port: expected a port (0-65535), got '1\\n2'");
  }

  @Test
  void helpListsEveryOptionWithTypeDefaultAndDoc() throws Exception {
    String help = parser().help();
    assertThat(help)
        .isEqualTo(
            "Usage: slides [--name=value]...\n"
                + "Unikernel slides.\n"
                + "\n"
                + "Options:\n"
                + "  --count=<int>                how many (int, default 3)\n"
                + "  --verbose[=<bool>]           talk more (bool, default false)\n"
                + "  --name=<string>              a name (string, default empty)\n"
                + "  --port=<port>                TCP port that serves the slides (port, default 8080)\n"
                + "  --gateway=<ipv4-address>     the router (ipv4-address, default 10.0.0.1)\n"
                + "  --ipv4=<ipv4-prefix>         (ipv4-prefix, default 10.0.0.2/24)\n"
                + "  --timeout=<duration>         idle timeout (duration, default 30s)\n"
                + "  --mode=<choice(fast, safe)>  how to run (choice(fast, safe), default safe)\n"
                + "  --ports=<list(port)>         extra ports (list(port), default 80,443)\n"
                + "  --token=<string>             secret (string, required)\n"
                + "  -l, --logs=<levels>          log thresholds, comma-separated: a level, or source:level"
                + " (levels quiet, error, warning, info, debug, trace; default info)\n"
                + "  --help                       print this help and exit\n"
                + "  --version                    print the version and exit\n");
    // --help wins over values that would not parse
    assertThat(parser().parse("--port=abc", "--help").request()).isEqualTo(OptionParser.Request.HELP);
  }

  private static final class Run {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = -1;

    Run(String... args) {
      try {
        parser()
            .parseOrExit(
                args,
                ExitCalled.EXIT,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
      } catch (ExitCalled e) {
        status = e.status;
      }
    }

    String out() {
      return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
      return err.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void usageErrorsPrintOneLineAndExit64() {
    Run run = new Run("--port=abc", "--token=t");
    assertThat(run.status).isEqualTo(64);
    assertThat(run.err()).isEqualTo("slides: option --port: expected a port (0-65535), got 'abc'\n");
    assertThat(run.out()).isEmpty();

    Run unknown = new Run("--colour=red");
    assertThat(unknown.status).isEqualTo(64);
    assertThat(unknown.err()).isEqualTo("slides: unknown option --colour; see --help\n");
  }

  @Test
  void helpAndVersionExitZeroOnStdout() {
    Run help = new Run("--help");
    assertThat(help.status).isEqualTo(0);
    assertThat(help.out()).isEqualTo(parser().help());
    assertThat(help.err()).isEmpty();

    Run version = new Run("--version");
    assertThat(version.status).isEqualTo(0);
    assertThat(version.out()).isEqualTo("slides 1.2.3\n");
  }

  @Test
  void aValidCommandLineDoesNotExit() {
    Run run = new Run("--token=t");
    assertThat(run.status).isEqualTo(-1);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void optionNamesAreChecked() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new OptionParser("p", "v", "", List.of(Option.of("help", KeyType.BOOL, false, ""))));
    assertThrows(
        IllegalArgumentException.class,
        () -> new OptionParser("p", "v", "", List.of(PORT, Option.of("port", KeyType.INT, 1L, ""))));
    assertThrows(IllegalArgumentException.class, () -> KeyType.list(KeyType.list(KeyType.INT)));
    assertThrows(IllegalArgumentException.class, () -> parserValues().get(TOKEN));
  }

  private static OptionParser.Values parserValues() throws UsageException {
    return new OptionParser("p", "v", "", List.of(PORT)).parse();
  }

  @Test
  void ipv6AddressesAndPrefixesParseAndSayWhatIsWrong() throws Exception {
    Option<List<Ipv6Prefix>> addresses =
        Option.of("ipv6", KeyType.list(KeyType.IPV6_PREFIX), List.of(), "static IPv6 addresses");
    Option<Ipv6Address> gateway =
        Option.of("ipv6-gateway", KeyType.IPV6_ADDRESS, Ipv6Address.parse("fe80::1"), "router");
    OptionParser p = new OptionParser("v6", "1", "IPv6 keys.", List.of(addresses, gateway));
    OptionParser.Values v = p.parse("--ipv6=2001:DB8::2/64", "--ipv6-gateway", "fe80::5");
    assertThat(v.get(addresses)).containsExactly(Ipv6Prefix.parse("2001:db8::2/64"));
    assertThat(v.get(gateway)).isEqualTo(Ipv6Address.parse("fe80::5"));
    assertThat(p.parse().get(gateway)).isEqualTo(Ipv6Address.parse("fe80::1"));
    UsageException e = assertThrows(UsageException.class, () -> p.parse("--ipv6=2001:db8::2"));
    assertThat(e).hasMessageThat().isEqualTo(
        "option --ipv6: expected a comma-separated list, each an IPv6 prefix like 2001:db8::2/64,"
            + " got '2001:db8::2'");
    e = assertThrows(UsageException.class, () -> p.parse("--ipv6-gateway=10.0.0.1"));
    assertThat(e).hasMessageThat().isEqualTo(
        "option --ipv6-gateway: expected an IPv6 address like 2001:db8::1, got '10.0.0.1'");
  }
}
