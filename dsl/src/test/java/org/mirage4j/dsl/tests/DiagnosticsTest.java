package org.mirage4j.dsl.tests;

import static com.google.common.truth.Truth.assertThat;
import static org.mirage4j.dsl.tests.Fixtures.check;
import static org.mirage4j.dsl.tests.Fixtures.lowerDiagnostics;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every diagnostic of the checker, through the front end: a bad input under
 * src/test/resources/bad, and the exact {@code file:line:col: severity: message} lines.
 */
class DiagnosticsTest {

  @Test
  void aliasesNameOneRuntimeOptionAndNoneBuiltIn() {
    assertThat(check("bad/aliases.mirage"))
        .containsExactly(
            "aliases.mirage:3:33: error: alias --port is already a name of key 'port'; remove it",
            "aliases.mirage:4:25: error: alias -p of option --pid is also an alias of option --port of this program; choose another",
            "aliases.mirage:5:27: error: alias -l is built into every program (-l, --logs, --help, --version); choose another",
            "aliases.mirage:5:30: error: alias --help is built into every program (-l, --logs, --help, --version); choose another",
            "aliases.mirage:6:39: error: configure key 'net_mode' cannot have an alias: aliases are other names of a runtime key's command-line option",
            "aliases.mirage:6:5: warning: key 'net_mode' is never used; remove it or pass it to a job");
  }

  @Test
  void anAliasThatIsAnotherOptionsNameIsAnError() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("aliases");
    java.nio.file.Path config = dir.resolve("config.mirage");
    java.nio.file.Files.writeString(config, String.join("\n", "unikernel db",
        "key port : port = 5432 alias p", "key pid : int = 1 alias p", "key peer : int = 1 alias port",
        "job org.example.Db(port, pid, peer)", ""));
    try (org.mirage4j.dsl.frontend.MirageFrontEnd.Session s = org.mirage4j.dsl.frontend.MirageFrontEnd.open(config, null, dir)) {
      assertThat(Fixtures.strings(s.lower("unix", null, java.util.Map.of()).diagnostics()))
          .containsExactly(
              "config.mirage:3:25: error: alias -p of option --pid is also an alias of option --port of this program; choose another",
              "config.mirage:4:26: error: alias --port of option --peer is also an option of this program; choose another");
    }
  }

  @Test
  void aDeviceNamedLikeAStandardKeyIsNoWarning() {
    // it hides the key `net` in this file only: std.mirage's `match net` still reads the key
    assertThat(check("good/device_named_net.mirage")).isEmpty();
    assertThat(Fixtures.lowerDiagnostics("good/device_named_net.mirage", "unix", java.util.Map.of("net", "direct")))
        .isEmpty();
  }

  @Test
  void unknownNamesSayWhatWasMeant() {
    assertThat(check("bad/unknown_names.mirage"))
        .containsExactly(
            "unknown_names.mirage:1:29: error: unknown target 'xne'; did you mean 'xen'?",
            "unknown_names.mirage:3:5: warning: key 'mode' is never used; remove it or pass it to a job",
            "unknown_names.mirage:3:33: error: unknown value 'fsat'; did you mean 'fast'? (expected one of: fast, slow, or a key of that type)",
            "unknown_names.mirage:5:27: error: unknown device, key or driver 'defualt_stack'; did you mean 'default_stack'?",
            "unknown_names.mirage:6:14: error: unknown device type 'htp_server'; did you mean 'http_server'?",
            "unknown_names.mirage:7:12: error: unknown device, key or driver 'sokcet_stack'; did you mean 'socket_stack'?",
            "unknown_names.mirage:8:22: error: unknown key 'mdoe'; did you mean 'mode'?",
            "unknown_names.mirage:13:2: error: unknown target 'unx'; did you mean 'unix'? (expected one of: unix, xen, arm)")
        .inOrder();
  }

  @Test
  void targetsSayTheirKindAndGuestsTheirKernelImage() {
    assertThat(check("bad/targets.mirage"))
        .containsAtLeast(
            "targets.mirage:3:28: error: a guest architecture says the format of its kernel image: aarch64 (Image)",
            "targets.mirage:4:13: error: unknown target kind 'hypervisor'; the generator builds process, xen_guest")
        .inOrder();
    // an embedded directory must be known when the unikernel is built: check says so for every
    // target (as a warning: on unix, kv_ro=direct avoids it), lowering for one as an error
    assertThat(check("bad/embed_runtime.mirage")).isNotEmpty();
    assertThat(lowerDiagnostics("bad/embed_runtime.mirage", "xen", Map.of()))
        .contains("embed_runtime.mirage:5:15: error: driver 'crunch' embeds its directory in the build, so the directory"
            + " must be known at build time: give a constant string, not a runtime key, or read the files at run"
            + " time with a driver that does (std's kv_ro(dir) does with the configure key kv_ro=direct)");
  }

  @Test
  void importsThatAreMissingMisnamedOrClash() {
    assertThat(check("bad/imports.mirage"))
        .containsExactly(
            "imports.mirage:2:8: error: cannot find the imported file 'missing.mirage'; the path is relative to this file",
            "imports.mirage:3:8: error: import 'notes.txt' must name a .mirage file",
            "imports.mirage:7:6: error: type 'sensor' is already declared in drivers.mirage:4; rename one")
        .inOrder();
  }

  @Test
  void importsAreNotTransitive() {
    assertThat(check("bad/transitive.mirage"))
        .containsExactly(
            "transitive.mirage:6:12: error: unknown driver or device function 'sensor_of'");
  }

  @Test
  void aMatchCaseBrokenBySyntaxGivesSyntaxErrorsOnly() {
    // a case label lost to a syntax error once made the checker fail (found by the robustness test)
    assertThat(check("bad/broken_match.mirage"))
        .containsExactly(
            "broken_match.mirage:7:13: error: no viable alternative at input '0.0.0.0'",
            "broken_match.mirage:8:3: error: mismatched input '}' expecting '->'")
        .inOrder();
  }

  @Test
  void wrongArgumentCount() {
    assertThat(check("bad/argument_count.mirage"))
        .containsExactly(
            "argument_count.mirage:3:15: error: device function 'http_server' expects 2 arguments (stack, port), but got 1; missing: port",
            "argument_count.mirage:4:14: error: device function 'http_server' expects 2 arguments (stack, port), but got 3",
            "argument_count.mirage:5:15: error: device function 'kv_ro' expects 1 argument (dir), but got 0; missing: dir",
            "argument_count.mirage:6:50: error: device function 'http_server' has no parameter 'prot'; did you mean 'port'? (parameters: stack, port)")
        .inOrder();
  }

  @Test
  void wrongArgumentTypeNamesExpectedAndGivenType() {
    assertThat(check("bad/argument_type.mirage"))
        .containsExactly(
            "argument_type.mirage:5:27: error: http_server expects a 'stack' as argument 1 (stack), but 'default_console' is a 'console'",
            "argument_type.mirage:6:41: error: http_server expects a 'port' as argument 2 (port), but 'name' is a 'string'",
            "argument_type.mirage:7:21: error: kv_ro expects a 'string' as argument 1 (dir), but got the integer 42")
        .inOrder();
  }

  @Test
  void namesUsedTheWrongWay() {
    assertThat(check("bad/misuse.mirage"))
        .containsExactly(
            "misuse.mirage:3:5: warning: key 'port' is never used; remove it or pass it to a job",
            "misuse.mirage:5:39: error: 'port' is a key and takes no arguments; remove the parentheses",
            "misuse.mirage:6:12: error: 'direct_stack_of' is a device function; call it with its arguments: direct_stack_of(nic)",
            "misuse.mirage:7:12: error: 'default_console' is a device, not a driver; remove the parentheses",
            "misuse.mirage:8:12: error: driver 'tap' needs its arguments: tap(interface_name)")
        .inOrder();
  }

  @Test
  void keyDefaultsThatDoNotFitTheirType() {
    assertThat(check("bad/key_defaults.mirage"))
        .containsExactly(
            "key_defaults.mirage:3:19: error: the default of key 'count' does not fit: expected an 'int', got the string \"ten\"",
            "key_defaults.mirage:4:19: error: the default of key 'port' does not fit: a port is 0 to 65535, not 70000",
            "key_defaults.mirage:5:25: error: the default of key 'gw' does not fit: IPv4 address 10.0.0.300 has an octet over 255 (300)",
            "key_defaults.mirage:6:5: warning: key 'net' shadows the standard library's key of the same name (std.mirage:32); rename it unless you mean to replace it",
            "key_defaults.mirage:6:25: error: the default of key 'net' does not fit: expected an ipv4-prefix like 10.0.0.2/24, got 10.0.0.1; add the prefix length",
            "key_defaults.mirage:7:26: error: the default of key 'wide' does not fit: a prefix length is 0 to 32, not 33",
            "key_defaults.mirage:8:26: error: the default of key 'timeout' does not fit: expected a 'duration', got the integer 30",
            "key_defaults.mirage:9:33: error: unknown value 'medium' (expected one of: fast, slow, or a key of that type)",
            "key_defaults.mirage:10:34: error: the default of key 'peers' does not fit: expected an 'ipv4-address', got the string \"b\"",
            "key_defaults.mirage:11:25: error: the default of key 'flags' does not fit: expected a list like [a, b] of int, got the integer 3")
        .inOrder();
  }

  @Test
  void duplicateNames() {
    assertThat(check("bad/duplicates.mirage"))
        .containsExactly(
            "duplicates.mirage:4:5: error: duplicate key 'port'; the first is at line 3; rename one",
            "duplicates.mirage:4:5: warning: key 'port' is never used; remove it or pass it to a job",
            "duplicates.mirage:6:8: error: duplicate device 'web'; the first is at line 5; rename one",
            "duplicates.mirage:6:8: warning: device 'web' is never used; remove it or pass it to a job",
            "duplicates.mirage:7:6: warning: type 'console' shadows the standard library's type of the same name (std.mirage:14); rename it unless you mean to replace it")
        .inOrder();
  }

  @Test
  void twoDevicesSharingARuntimeKeyWithoutGroups() {
    assertThat(check("bad/shared_runtime_key.mirage"))
        .containsExactly(
            "shared_runtime_key.mirage:4:8: error: devices 'nic0' and 'nic1' are the same tap and would share the runtime key --interface; give each its own group, e.g. interface@nic1");
    assertThat(lowerDiagnostics("bad/shared_runtime_key.mirage", "unix", Map.of()))
        .containsExactly(
            "shared_runtime_key.mirage:4:8: error: devices 'nic0' and 'nic1' are the same tap and would share the runtime key --interface; give each its own group, e.g. interface@nic1");
  }

  @Test
  void choiceValuesWrittenAsStringsThatCannotBeValues() {
    assertThat(check("bad/choice_strings.mirage"))
        .containsExactly(
            "choice_strings.mirage:4:19: error: choice value 'x' is listed twice",
            "choice_strings.mirage:5:20: error: a choice value cannot be empty; remove \"\" or give it a name",
            "choice_strings.mirage:5:24: error: choice value \"a,b\" contains ',', which separates the values of a"
                + " list option (--key=a,b); choose a value without it",
            "choice_strings.mirage:5:31: error: choice value \"with space\" contains a space, which a command-line"
                + " value cannot hold unquoted; choose a value without it",
            "choice_strings.mirage:6:34: error: the default of key 'c' does not fit: expected one of h2, \"http/1.1\","
                + " got the string \"http/2\"",
            "choice_strings.mirage:9:18: error: the match on key 'd' does not cover h2 and has no default; add h2 ->"
                + " ... or default -> ...",
            "choice_strings.mirage:11:2: error: case \"http/1.1\" is matched twice; remove one");
  }

  @Test
  void groupsWhereTheyCannotBe() {
    assertThat(check("bad/groups.mirage"))
        .containsExactly(
            "groups.mirage:4:18: error: 'tap' is a driver and cannot be given a group; a group is taken by a key"
                + " (interface@uplink) or a device function's application (kv_ro@uplink(\"dir\")), so put it on the"
                + " keys passed to 'tap'",
            "groups.mirage:6:20: error: 'deck' is a device and cannot be given a group; a group is taken by a key"
                + " (interface@copy) or a device function's application (kv_ro@copy(\"dir\")), so put it on the"
                + " keys passed to 'deck'",
            "groups.mirage:7:8: warning: device function 'plain' is never used; remove it or pass it to a job",
            "groups.mirage:8:15: error: 'plain' is a device function; call it with its arguments: plain(dir)");
  }

  @Test
  void aGroupThatChangesNothingIsAWarning() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("groups");
    java.nio.file.Path config = dir.resolve("config.mirage");
    java.nio.file.Files.writeString(config, String.join("\n", "unikernel groups",
        "device plain(dir: string) : kv_ro = crunch(dir)",
        "device files = plain@files(\"files\")",
        "job org.example.Groups(files)", ""));
    try (org.mirage4j.dsl.frontend.MirageFrontEnd.Session s = org.mirage4j.dsl.frontend.MirageFrontEnd.open(config, null, dir)) {
      assertThat(Fixtures.strings(s.lower("unix", null, java.util.Map.of()).diagnostics()))
          .containsExactly(
              "config.mirage:3:22: warning: the group 'files' changes nothing here: 'plain' reads no key declared"
                  + " 'grouped' (std's kv_ro is); give the group to a key instead, e.g. key@files");
    }
  }

  @Test
  void twoKeysMappingToTheSameOption() {
    assertThat(lowerDiagnostics("bad/same_option.mirage", "unix", Map.of()))
        .containsExactly(
            "same_option.mirage:6:15: error: runtime keys 'interface@net0' and 'net0_interface' would both be the option --net0-interface; rename one or use another group");
  }

  @Test
  void matchesThatDoNotCoverATargetOrAChoice() {
    assertThat(check("bad/match_coverage.mirage"))
        .containsExactly(
            "match_coverage.mirage:6:20: error: the match on target does not cover arm and has no default; add arm -> ... or default -> ...",
            "match_coverage.mirage:10:22: error: the match on key 'mode' does not cover slow, safe and has no default; add slow -> ... or default -> ...",
            "match_coverage.mirage:13:22: error: the match on key 'fancy' does not cover false and has no default; add false -> ... or default -> ...")
        .inOrder();
  }

  @Test
  void cycles() {
    assertThat(check("bad/cycle.mirage"))
        .containsExactly(
            "cycle.mirage:3:8: error: device 'a' depends on itself: a -> b -> c -> a",
            "cycle.mirage:4:8: error: device 'b' depends on itself: b -> c -> a -> b",
            "cycle.mirage:5:8: error: device 'c' depends on itself: c -> a -> b -> c")
        .inOrder();
  }

  @Test
  void driverWithoutImplementationOnTheTarget() {
    // check(): a warning for every target the unikernel builds for, except where it exists
    assertThat(check("bad/wrong_target.mirage"))
        .containsExactly(
            "wrong_target.mirage:3:16: warning: on target 'arm': driver 'socket_stack' has no implementation on target 'arm'; it exists on: unix",
            "wrong_target.mirage:3:16: warning: on target 'xen': driver 'socket_stack' has no implementation on target 'xen'; it exists on: unix")
        .inOrder();
    // lower(): an error for the target being generated, nothing else
    assertThat(lowerDiagnostics("bad/wrong_target.mirage", "xen", Map.of()))
        .containsExactly(
            "wrong_target.mirage:3:16: error: driver 'socket_stack' has no implementation on target 'xen'; it exists on: unix");
    assertThat(lowerDiagnostics("bad/wrong_target.mirage", "unix", Map.of())).isEmpty();
  }

  @Test
  void aTargetTheUnikernelDoesNotBuildForIsRefused() {
    assertThat(lowerDiagnostics("good/custom.mirage", "xen", Map.of()))
        .containsExactly(
            "custom.mirage:3:1: error: target 'xen' is not one of the targets of unikernel 'thermometer' (unix, rpi); build for one of them or add it to 'targets'");
  }

  @Test
  void unusedDevicesAndKeysAreWarnings() {
    assertThat(check("bad/unused.mirage"))
        .containsExactly(
            "unused.mirage:3:5: warning: key 'verbose' is never used; remove it or pass it to a job",
            "unused.mirage:4:8: warning: device 'spare' is never used; remove it or pass it to a job")
        .inOrder();
    assertThat(Fixtures.lower("bad/unused.mirage", "unix", Map.of()).failed()).isFalse();
  }

  @Test
  void everyErrorIsReportedAtOnce() {
    assertThat(check("bad/three_errors.mirage"))
        .containsExactly(
            "three_errors.mirage:3:19: error: the default of key 'port' does not fit: a port is 0 to 65535, not 99999",
            "three_errors.mirage:4:27: error: unknown device, key or driver 'default_stak'; did you mean 'default_stack'?",
            "three_errors.mirage:5:21: error: kv_ro expects a 'string' as argument 1 (dir), but got the integer 1")
        .inOrder();
  }

  @Test
  void syntaxErrorsArePositionedAndNotRepeatedAsTypeErrors() {
    assertThat(check("bad/syntax.mirage"))
        .containsExactly("syntax.mirage:3:27: error: no viable alternative at input '8080'");
  }

  @Test
  void aMissingFileIsOneDiagnostic() {
    assertThat(check("bad/no_such_file.mirage"))
        .containsExactly("no_such_file.mirage:1:1: error: cannot read the configuration: no such file");
  }
}
