package org.mirage4j.generator;

import org.mirage4j.model.Diagnostic;
import static com.google.common.truth.Truth.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mirage4j.model.ConfigureKey;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.Platform;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.TargetKind;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/** What the generator checks before writing anything, reported against config.mirage. */
class ChecksTest {

  private static List<String> problems(UnikernelModel model) {
    Diagnostics d = new Diagnostics();
    MirageGenerator.plan(GeneratorRequest.of(model, Path.of("."), Path.of("target")), d);
    return d.all().stream().map(Diagnostic::toString).toList();
  }

  private static UnikernelModel withKeys(String target, List<ConfigureKey> configure, List<RuntimeKey> runtime) {
    UnikernelModel m = TestModels.hello(target);
    List<RuntimeKey> keys = new ArrayList<>(m.runtimeKeys());
    keys.addAll(runtime);
    return new UnikernelModel(m.name(), m.platform(), m.configFile(), configure, keys,
        m.devices(), m.jobs(), m.artifacts(), m.location());
  }

  @Test
  void runtimeKeysThatCannotBeOptions() {
    ValueType listOfLists = new ValueType.ListOf(new ValueType.ListOf(ValueType.of(ValueType.Kind.INT)));
    assertThat(problems(withKeys("unix", List.of(), List.of(
        TestModels.runtimeKey("help", ValueType.of(ValueType.Kind.BOOL), new Value.BoolValue(false), "", 20),
        TestModels.runtimeKey("matrix", listOfLists,
            new Value.ListValue((ValueType.ListOf) listOfLists, List.of()), "", 21),
        new RuntimeKey("port", ValueType.of(ValueType.Kind.PORT), Optional.of(new Value.StringValue("80")),
            false, "", TestModels.at(22, 5))))))
        .containsExactly(
            "config.mirage:20:5: error: runtime key 'help' clashes with the built-in option --help",
            "config.mirage:21:5: error: runtime key 'matrix' has type list(list(int)): a list of lists"
                + " cannot be written on a command line",
            "config.mirage:22:5: error: the default of runtime key 'port' is not a port");
  }

  @Test
  void guestSettingsComeFromConfigureKeysAndAreChecked() {
    assertThat(problems(withKeys("xen", List.of(
        TestModels.configureKey("memory", new Value.StringValue("lots"), true, "", 30),
        TestModels.configureKey("vcpus", new Value.IntValue(0), true, "", 31)), List.of())))
        .containsExactly(
            "config.mirage:30:5: error: configure key memory must be a positive int (MiB), not 'lots'",
            "config.mirage:31:5: error: configure key vcpus must be a positive int, not '0'");
    assertThat(problems(withKeys("arm", List.of(
        TestModels.configureKey("gic_version", new Value.StringValue("v4"), true, "", 32)), List.of())))
        .containsExactly("config.mirage:32:5: error: configure key gic_version must be host, v2 or v3, not 'v4'");
    // on unix, memory and vcpus are just constants
    assertThat(problems(withKeys("unix", List.of(
        TestModels.configureKey("memory", new Value.StringValue("lots"), true, "", 30)), List.of()))).isEmpty();
  }

  @Test
  void aGuestTargetNamesItsKernelImage() {
    UnikernelModel m = TestModels.hello("xen");
    Platform noImage = new Platform("xen", TargetKind.XEN_GUEST, "x86_64", Optional.empty());
    assertThat(problems(new UnikernelModel(m.name(), noImage, m.configFile(), List.of(),
        m.runtimeKeys(), m.devices(), m.jobs(), m.artifacts(), m.location())))
        .containsExactly("config.mirage:1:1: error: guest target 'xen' does not say the kernel image format of"
            + " x86_64 (target xen : xen_guest arch x86_64 (Image))");
  }

  @Test
  void hostResourcesMustBeWritableInXl() {
    UnikernelModel m = TestModels.hello("xen");
    DeviceNode disk = TestModels.device("disk", "disk", "block", "Block", "xen_block",
        "org.mirage4j.drivers.block.XenBlock", TestModels.at(7, 13),
        List.of(new HostResource.Disk("my disk', target=/etc/shadow")),
        TestModels.lit("file", new Value.StringValue("x")));
    List<DeviceNode> devices = new ArrayList<>(m.devices());
    devices.add(disk);
    assertThat(problems(new UnikernelModel(m.name(), m.platform(), m.configFile(), List.of(),
        m.runtimeKeys(), devices, m.jobs(), m.artifacts(), m.location())))
        .containsExactly("config.mirage:7:13: error: device 'disk': 'my disk', target=/etc/shadow' cannot be"
            + " written in a Xen configuration (use letters, digits and _ . / + : @ % ~ -)");
  }

  @Test
  void classNamesMustBeJavaNames() {
    UnikernelModel m = TestModels.hello("unix");
    DeviceNode odd = TestModels.device("odd", "odd", "console", "Console", "odd",
        "org.example.not a class", TestModels.at(9, 1), List.of());
    List<DeviceNode> devices = new ArrayList<>(m.devices());
    devices.add(odd);
    assertThat(problems(new UnikernelModel(m.name(), m.platform(), m.configFile(), List.of(),
        m.runtimeKeys(), devices, m.jobs(), m.artifacts(), m.location())))
        .containsExactly("config.mirage:9:1: error: device 'odd': driver class 'org.example.not a class'"
            + " is not a Java class name");
  }

  @Test
  void guestDisksAreNumberedAsLinuxDoes() {
    assertThat(GuestLayout.letters(1)).isEqualTo("b");
    assertThat(GuestLayout.letters(25)).isEqualTo("z");
    assertThat(GuestLayout.letters(26)).isEqualTo("aa");
    assertThat(GuestLayout.letters(27)).isEqualTo("ab");
    assertThat(GuestLayout.letters(701)).isEqualTo("zz");
    assertThat(GuestLayout.letters(702)).isEqualTo("aaa");
  }

  @Test
  void javaNames() {
    assertThat(JavaNames.wiringClassName("slides")).isEqualTo("SlidesUnikernel");
    assertThat(JavaNames.wiringClassName("my-app.v2")).isEqualTo("MyAppV2Unikernel");
    assertThat(JavaNames.camel("http_stack_network")).isEqualTo("httpStackNetwork");
    assertThat(JavaNames.camel("NAME")).isEqualTo("name");
    assertThat(JavaNames.camel("default")).isEqualTo("default_");
    assertThat(JavaNames.camel("9lives")).isEqualTo("_9lives");
    assertThat(JavaNames.constant("net0-interface")).isEqualTo("NET0_INTERFACE");
    assertThat(JavaNames.constant("logLevel")).isEqualTo("LOG_LEVEL");
    assertThat(JavaNames.comment("a */ b \\u0041\nc")).isEqualTo("a *&#47; b \\\\u0041 c");
  }
}
