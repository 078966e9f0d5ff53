package org.mirage4j.dsl.tests;

import static com.google.common.truth.Truth.assertThat;
import static org.mirage4j.dsl.tests.Fixtures.lower;
import static org.mirage4j.dsl.tests.Fixtures.lowerDiagnostics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mirage4j.dsl.frontend.MirageFrontEnd;
import org.mirage4j.model.Argument;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.SourceLocation;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/** Lowering of the good inputs to the device-graph model: targets, configure keys, sharing, groups. */
class LoweringTest {

  private static UnikernelModel model(String relative, String target, Map<String, String> keys) {
    MirageFrontEnd.Outcome o = lower(relative, target, keys);
    assertThat(Fixtures.strings(o.diagnostics())).isEmpty();
    assertThat(o.model()).isNotNull();
    return o.model();
  }

  private static DeviceNode device(UnikernelModel m, String id) {
    return m.device(id).orElseThrow(() -> new AssertionError("no device " + id + " in " + ids(m)));
  }

  private static List<String> ids(UnikernelModel m) {
    return m.devices().stream().map(DeviceNode::id).toList();
  }

  private static List<String> drivers(UnikernelModel m) {
    return m.devices().stream().map(DeviceNode::driverName).toList();
  }

  @Test
  void aRuntimeKeysAliasesAreOtherNamesOfItsOption() {
    UnikernelModel m = model("good/aliases.mirage", "unix", Map.of());
    assertThat(m.runtimeKey("port").orElseThrow().aliases()).containsExactly("p", "pgport").inOrder();
    assertThat(m.runtimeKey("data-dir").orElseThrow().aliases()).containsExactly("d", "data-directory").inOrder();
    assertThat(m.runtimeKey("verbose").orElseThrow().aliases()).containsExactly("v");
  }

  @Test
  void aUnikernelWithoutJobsIsAProgramThatStartsAndEnds() {
    // MirageOS's noop: configure accepts it, with a warning that says what the program does
    MirageFrontEnd.Outcome o = lower("good/noop.mirage", "unix", Map.of());
    assertThat(Fixtures.strings(o.diagnostics())).containsExactly(
        "noop.mirage:2:11: warning: unikernel 'noop' has no job: its program starts and exits with status 0;"
            + " add one to do something: job com.example.Main(default_console)");
    assertThat(o.failed()).isFalse();
    assertThat(o.model().jobs()).isEmpty();
    assertThat(o.model().devices()).isEmpty();
  }

  @Test
  void targetsPickTheirDrivers() {
    UnikernelModel unix = model("good/slides.mirage", "unix", Map.of());
    assertThat(unix.target()).isEqualTo("unix");
    assertThat(unix.arch()).isEqualTo("x86_64");
    assertThat(drivers(unix)).containsExactly("stdout_console", "crunch", "socket_stack", "stack_http_server").inOrder();

    UnikernelModel xen = model("good/slides.mirage", "xen", Map.of());
    assertThat(drivers(xen)).contains("netfront");
    assertThat(drivers(xen)).contains("direct_stackv4v6");
    assertThat(drivers(xen)).doesNotContain("socket_stack");
    assertThat(device(xen, "default_network").resources()).containsExactly(new HostResource.Vif("service"));

    UnikernelModel arm = model("good/slides.mirage", "arm", Map.of());
    assertThat(arm.arch()).isEqualTo("aarch64");
    assertThat(drivers(arm)).isEqualTo(drivers(xen));
    try (MirageFrontEnd.Session s = Fixtures.open("good/slides.mirage")) {
      assertThat(s.lower("arm", "armv7", Map.of()).model().arch()).isEqualTo("armv7");
    }
  }

  @Test
  void unknownTargetsAndArchitectures() {
    assertThat(lowerDiagnostics("good/slides.mirage", "xem", Map.of()))
        .containsExactly(
            "slides.mirage:1:11: error: unknown target 'xem'; did you mean 'xen'? (targets: unix, xen, arm)");
    try (MirageFrontEnd.Session s = Fixtures.open("good/slides.mirage")) {
      assertThat(Fixtures.strings(s.lower("xen", "aarch64", Map.of()).diagnostics()))
          .containsExactly(
              "slides.mirage:1:11: error: target 'xen' has no architecture 'aarch64' (it supports: x86_64)");
    }
  }

  @Test
  void configureKeysChooseImplementations() {
    UnikernelModel direct = model("good/slides.mirage", "unix", Map.of("net", "direct"));
    assertThat(drivers(direct))
        .containsAtLeast("tap", "ethernet", "arp", "ipv4_static", "ipv6", "direct_stackv4v6").inOrder();
    assertThat(direct.configureKey("net").orElseThrow().value().display()).isEqualTo("direct");
    assertThat(direct.configureKey("net").orElseThrow().fromUser()).isTrue();
    assertThat(direct.configureKey("kv_ro").orElseThrow().fromUser()).isFalse();
    // the tap device's --interface and the static address keys become runtime keys
    // (and http_server's limits; on the direct stack it listens on the stack's address: no --address)
    assertThat(direct.runtimeKeys().stream().map(RuntimeKey::name).toList())
        .containsExactly("accept-router-advertisements",
            "http-header-timeout", "http-idle-timeout", "http-max-body", "http-max-client-connections",
            "http-max-connections", "http-min-rate", "http-stall-timeout", "interface", "ipv4", "ipv4-gateway",
            "ipv6", "ipv6-gateway", "port")
        .inOrder();

    UnikernelModel dhcp = model("good/slides.mirage", "unix", Map.of("net", "direct", "dhcp", "true"));
    assertThat(drivers(dhcp)).contains("ipv4_dhcp");
    assertThat(drivers(dhcp)).doesNotContain("ipv4_static");
    assertThat(dhcp.runtimeKeys().stream().map(RuntimeKey::name).filter(k -> !k.startsWith("http-")).toList())
        .containsExactly("accept-router-advertisements", "interface", "ipv6", "ipv6-gateway", "port");

    UnikernelModel kv = model("good/slides.mirage", "unix", Map.of("kv_ro", "direct"));
    assertThat(device(kv, "deck").driverName()).isEqualTo("direct_kv_ro");
    assertThat(device(kv, "deck").driverClass()).isEqualTo("org.mirage4j.drivers.kv.DirectoryKvRo");
  }

  @Test
  void theModelCarriesTheTargetsKindAndKernelImage() {
    assertThat(model("good/slides.mirage", "unix", Map.of()).platform())
        .isEqualTo(org.mirage4j.model.Platform.process("unix", "x86_64"));
    assertThat(model("good/slides.mirage", "xen", Map.of()).platform())
        .isEqualTo(org.mirage4j.model.Platform.xenGuest("xen", "x86_64", "bzImage"));
    try (MirageFrontEnd.Session s = Fixtures.open("good/slides.mirage")) {
      assertThat(s.lower("arm", "armv7", Map.of()).model().platform())
          .isEqualTo(org.mirage4j.model.Platform.xenGuest("arm", "armv7", "zImage"));
    }
    // crunch asks the build to embed its directory
    assertThat(device(model("good/slides.mirage", "xen", Map.of()), "deck").resources())
        .containsExactly(new org.mirage4j.model.HostResource.Embed("slides"));
  }

  @Test
  void badAndUnknownConfigureKeyValues() {
    assertThat(lowerDiagnostics("good/slides.mirage", "unix", Map.of("net", "tcp")))
        .containsExactly(
            "slides.mirage:1:11: error: configure key 'net': expected one of socket, direct, got 'tcp'");
    assertThat(lowerDiagnostics("good/slides.mirage", "unix", Map.of("dhcp", "yes")))
        .containsExactly("slides.mirage:1:11: error: configure key 'dhcp': expected true or false, got 'yes'");
    assertThat(lowerDiagnostics("good/slides.mirage", "unix", Map.of("nett", "direct")))
        .containsExactly(
            "slides.mirage:1:11: error: unknown configure key 'nett'; did you mean 'net'? (configure keys: net, kv_ro, dhcp, memory, vcpus, gic_version)");
    assertThat(lowerDiagnostics("good/slides.mirage", "unix", Map.of("port", "80")))
        .containsExactly(
            "slides.mirage:1:11: error: 'port' is a runtime key: give it to the generated program (--port=80), not at configure time");
    // a value the target cannot use: the direct kv_ro store exists on unix only
    assertThat(lowerDiagnostics("good/slides.mirage", "xen", Map.of("kv_ro", "direct")))
        .containsExactly(
            "slides.mirage:5:15: error: driver 'direct_kv_ro' has no implementation on target 'xen' (used by kv_ro(\"slides\")); it exists on: unix");
  }

  @Test
  void identicalApplicationsAreOneNode() {
    UnikernelModel m = model("good/sharing.mirage", "unix", Map.of());
    assertThat(ids(m)).containsExactly("a", "c", "crunch").inOrder();
    assertThat(m.jobs().get(0).arguments())
        .containsExactly(
            new Argument.DeviceArg("arg0", "a"),
            new Argument.DeviceArg("arg1", "a"),
            new Argument.DeviceArg("arg2", "c"),
            new Argument.DeviceArg("arg3", "a"),
            new Argument.DeviceArg("arg4", "crunch"))
        .inOrder();
    assertThat(m.jobs().get(0).dependencies()).containsExactly("a", "c", "crunch").inOrder();
    // the second job: kv_ro("site") from the standard library is the same crunch("site")
    assertThat(m.jobs().get(1).name()).isEqualTo("second");
    assertThat(m.jobs().get(1).arguments()).containsExactly(new Argument.DeviceArg("arg0", "a"));
    assertThat(device(m, "crunch").name()).isEqualTo("crunch(\"third\")");
  }

  @Test
  void deviceFunctionsExpandWhereTheyAreCalled() {
    UnikernelModel m = model("good/network.mirage", "unix", Map.of());
    // direct_stack_of(nic0) from the standard library: one ethernet, arp, ipv4 and ipv6 shared by
    // icmp, udp, tcp
    assertThat(drivers(m).stream().filter(d -> !d.equals("tap")).toList()).containsNoDuplicates();
    DeviceNode stack = device(m, "stack");
    assertThat(stack.driverName()).isEqualTo("direct_stackv4v6");
    assertThat(stack.dependencies()).containsExactly("ipv4_static", "ipv6", "icmp", "udpv4v6", "tcpv4v6")
        .inOrder();
    assertThat(device(m, "ethernet").arguments()).containsExactly(new Argument.DeviceArg("net", "nic0"));
  }

  @Test
  void groupsGiveEachDeviceItsOwnOption() {
    UnikernelModel m = model("good/network.mirage", "unix", Map.of());
    assertThat(device(m, "nic0").arguments())
        .containsExactly(new Argument.RuntimeKeyArg("interface_name", "net0-interface"));
    assertThat(device(m, "nic1").arguments())
        .containsExactly(new Argument.RuntimeKeyArg("interface_name", "net1-interface"));
    RuntimeKey net0 = m.runtimeKey("net0-interface").orElseThrow();
    assertThat(net0.defaultValue()).hasValue(new Value.StringValue("tap0"));
    assertThat(net0.location()).isEqualTo(new SourceLocation("std.mirage", 37, 1));
    assertThat(m.runtimeKey("interface")).isEmpty();
  }

  @Test
  void configureKeysInGroupsChooseEachStoresImplementation() {
    // by default every group has the key's default
    UnikernelModel m = model("good/configure_groups.mirage", "unix", Map.of());
    assertThat(device(m, "data").driverName()).isEqualTo("crunch");
    assertThat(device(m, "certs").driverName()).isEqualTo("crunch");
    assertThat(m.configureKeys().stream().map(k -> k.name() + "=" + k.value().display()).toList())
        .containsAtLeast("cache=false", "certs-kv_ro=crunch", "data-kv_ro=crunch", "logs-cache=false",
            "logs-kv_ro=crunch", "notes-kv_ro=crunch");
    // one store read from disk, the others still embedded; the key without a group is not theirs
    UnikernelModel certs = model("good/configure_groups.mirage", "unix",
        Map.of("certs-kv_ro", "direct", "kv_ro", "direct", "notes-kv_ro", "direct"));
    assertThat(device(certs, "certs").driverName()).isEqualTo("direct_kv_ro");
    assertThat(device(certs, "notes").driverName()).isEqualTo("direct_kv_ro");
    assertThat(device(certs, "data").driverName()).isEqualTo("crunch");
    assertThat(certs.configureKey("certs-kv_ro").orElseThrow().fromUser()).isTrue();
    assertThat(certs.configureKey("data-kv_ro").orElseThrow().fromUser()).isFalse();
    assertThat(certs.configureKey("certs-kv_ro").orElseThrow().location())
        .isEqualTo(new SourceLocation("std.mirage", 34, 1));
    // a group reaches the device functions its function calls: store@logs reads logs-cache and,
    // through kv_ro, logs-kv_ro
    assertThat(device(model("good/configure_groups.mirage", "unix", Map.of("logs-cache", "true")), "logs")
        .driverName()).isEqualTo("crunch");
    UnikernelModel logs = model("good/configure_groups.mirage", "unix", Map.of("logs-kv_ro", "direct"));
    assertThat(device(logs, "logs").driverName()).isEqualTo("direct_kv_ro");
    assertThat(device(logs, "data").driverName()).isEqualTo("crunch");
  }

  @Test
  void choiceValuesWrittenAsStrings() {
    UnikernelModel m = model("good/choice_strings.mirage", "unix", Map.of());
    assertThat(device(m, "site").arguments().toString()).contains("http1");
    assertThat(m.configureKey("proto").orElseThrow().value().display()).isEqualTo("http/1.1");
    RuntimeKey alpn = m.runtimeKey("alpn").orElseThrow();
    assertThat(alpn.type().display()).isEqualTo("list(choice(h2, \"http/1.1\"))");
    assertThat(alpn.defaultValue().orElseThrow().display()).isEqualTo("h2,http/1.1");
    UnikernelModel h2 = model("good/choice_strings.mirage", "unix", Map.of("proto", "h2"));
    assertThat(device(h2, "site").arguments().toString()).contains("h2");
    assertThat(device(h2, "site").arguments().toString()).doesNotContain("http1");
    assertThat(lowerDiagnostics("good/choice_strings.mirage", "unix", Map.of("proto", "http/2")))
        .containsExactly(
            "choice_strings.mirage:2:11: error: configure key 'proto': expected one of h2, http/1.1, got 'http/2'");
  }

  @Test
  void groupedConfigureKeysTheCommandLineGotWrong() {
    assertThat(lowerDiagnostics("good/configure_groups.mirage", "unix", Map.of("certs-kv_ro", "disk")))
        .containsExactly(
            "configure_groups.mirage:3:11: error: configure key 'certs-kv_ro': expected one of crunch, direct, got 'disk'");
    assertThat(lowerDiagnostics("good/configure_groups.mirage", "unix", Map.of("cert-kv_ro", "direct")))
        .containsExactly(
            "configure_groups.mirage:3:11: error: configure key 'cert-kv_ro' is not read on target 'unix': nothing in"
                + " the configuration reads kv_ro@cert; did you mean 'certs-kv_ro'? (grouped configure keys read:"
                + " certs-kv_ro, data-kv_ro, logs-cache, logs-kv_ro, notes-kv_ro)");
    assertThat(lowerDiagnostics("good/configure_groups.mirage", "unix", Map.of("data-address", "10.0.0.1", "data-nokey", "1")))
        .containsExactly(
            "configure_groups.mirage:3:11: error: unknown configure key 'data-nokey' (configure keys: cache, net,"
                + " kv_ro, dhcp, memory, vcpus, gic_version)",
            "configure_groups.mirage:3:11: error: 'address' is a runtime key: give it to the generated program"
                + " (--data-address=10.0.0.1), not at configure time");
    // a store read at run time does not exist on xen: the grouped key's choice is reported like the key's
    assertThat(lowerDiagnostics("good/configure_groups.mirage", "xen", Map.of("data-kv_ro", "direct")))
        .containsExactly(
            "configure_groups.mirage:7:15: error: driver 'direct_kv_ro' has no implementation on target 'xen'"
                + " (used by kv_ro@data(\"htdocs\")); it exists on: unix");
  }

  @Test
  void devicesComeAfterTheirDependencies() {
    for (String target : List.of("unix", "xen", "arm")) {
      UnikernelModel m = model("good/slides.mirage", target, Map.of("net", "direct"));
      List<String> seen = new java.util.ArrayList<>();
      for (DeviceNode d : m.devices()) {
        assertThat(seen).containsAtLeastElementsIn(d.dependencies());
        seen.add(d.id());
      }
      assertThat(ids(m).get(ids(m).size() - 1)).isEqualTo("http");
    }
  }

  @Test
  void runtimeKeysCarryTypesDefaultsAndDocs() {
    UnikernelModel m = model("good/keys.mirage", "unix", Map.of());
    assertThat(m.runtimeKey("count").orElseThrow().defaultValue()).hasValue(new Value.IntValue(-3));
    assertThat(m.runtimeKey("count").orElseThrow().doc()).isEqualTo("how many");
    assertThat(m.runtimeKey("timeout").orElseThrow().defaultValue())
        .hasValue(new Value.DurationValue(Duration.ofSeconds(30)));
    assertThat(m.runtimeKey("retry").orElseThrow().defaultValue())
        .hasValue(new Value.DurationValue(Duration.ofMillis(500)));
    assertThat(m.runtimeKey("idle").orElseThrow().defaultValue())
        .hasValue(new Value.DurationValue(Duration.ofMinutes(2)));
    assertThat(m.runtimeKey("lease").orElseThrow().defaultValue())
        .hasValue(new Value.DurationValue(Duration.ofHours(1)));
    assertThat(m.runtimeKey("subnet").orElseThrow().defaultValue())
        .hasValue(new Value.Ipv4PrefixValue("10.0.0.2/24"));
    assertThat(m.runtimeKey("mode").orElseThrow().type())
        .isEqualTo(new ValueType.Choice(List.of("fast", "slow")));
    assertThat(m.runtimeKey("peers").orElseThrow().type())
        .isEqualTo(new ValueType.ListOf(ValueType.of(ValueType.Kind.IPV4_ADDRESS)));
    RuntimeKey token = m.runtimeKey("token").orElseThrow();
    assertThat(token.required()).isTrue();
    assertThat(token.defaultValue()).isEqualTo(Optional.empty());
    assertThat(m.runtimeKeys()).hasSize(14);
    assertThat(m.configureKey("tier").orElseThrow().value().display()).isEqualTo("gold");
  }

  @Test
  void artifactsAreCollectedSortedWithoutRepeats() {
    UnikernelModel m = model("good/slides.mirage", "unix", Map.of());
    assertThat(m.artifacts().stream().map(Object::toString).toList())
        .containsExactly(
            "org.mirage4j:mirage4j-driver-console",
            "org.mirage4j:mirage4j-driver-http",
            "org.mirage4j:mirage4j-driver-kv",
            "org.mirage4j:mirage4j-driver-socket-stack")
        .inOrder();
    UnikernelModel custom = model("good/custom.mirage", "rpi", Map.of());
    assertThat(custom.artifacts().stream().map(Object::toString).toList())
        .containsExactly("org.example:sensors:1.0");
    assertThat(custom.arch()).isEqualTo("aarch64");
  }

  @Test
  void importedLibrariesAndTheirTargets() {
    UnikernelModel unix = model("good/custom.mirage", "unix", Map.of());
    assertThat(drivers(unix)).containsExactly("stdout_console", "fake_sensor").inOrder();
    UnikernelModel rpi = model("good/custom.mirage", "rpi", Map.of());
    assertThat(drivers(rpi)).containsExactly("serial_console", "i2c_sensor").inOrder();
    DeviceNode sensor = device(rpi, "sensor");
    assertThat(sensor.factoryMethod()).hasValue("open");
    assertThat(sensor.resources()).containsExactly(new HostResource.Disk("/dev/i2c-1"));
    assertThat(sensor.arguments())
        .containsExactly(
            new Argument.ConstantArg("bus", new Value.StringValue("/dev/i2c-1"), null),
            new Argument.RuntimeKeyArg("period", "sensor-period"))
        .inOrder();
    assertThat(rpi.runtimeKey("sensor-period").orElseThrow().location().file()).isEqualTo("drivers.mirage");
  }

  @Test
  void sourceLocationsPointAtTheUsersText() {
    UnikernelModel m = model("good/slides.mirage", "unix", Map.of());
    assertThat(m.location()).isEqualTo(new SourceLocation("slides.mirage", 1, 1));
    assertThat(m.configFile()).isEqualTo("slides.mirage");
    assertThat(device(m, "deck").location()).isEqualTo(new SourceLocation("slides.mirage", 5, 15));
    assertThat(device(m, "http").location()).isEqualTo(new SourceLocation("slides.mirage", 6, 15));
    // a standard-library device is located where the user's file uses it
    assertThat(device(m, "default_console").location()).isEqualTo(new SourceLocation("slides.mirage", 8, 36));
    assertThat(m.jobs().get(0).location()).isEqualTo(new SourceLocation("slides.mirage", 8, 1));
    assertThat(m.runtimeKey("port").orElseThrow().location()).isEqualTo(new SourceLocation("slides.mirage", 3, 1));
  }
}
