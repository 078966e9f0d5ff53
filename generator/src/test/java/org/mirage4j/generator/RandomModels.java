package org.mirage4j.generator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.mirage4j.model.Argument;
import org.mirage4j.model.ConfigureKey;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.JobNode;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.SourceLocation;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/**
 * Random valid device graphs for the property test: any target, any key type, shared drivers and
 * shared devices, factory methods, names that collide with Java keywords and with the wiring's own
 * names, and docs full of characters that need escaping.
 */
final class RandomModels {

  static final List<String> INTERFACES = List.of(
      "Console", "Network", "Ethernet", "Arp", "Ipv4", "Icmp", "Udp", "Tcp", "Stack", "KvRo", "KvRw",
      "Block", "MonotonicClock", "WallClock", "RandomSource", "HttpServer");

  /** Names chosen to collide: Java keywords, the wiring's locals and fields, odd spellings. */
  static final List<String> AWKWARD = List.of(
      "class", "int", "default", "new", "args", "exit", "options", "unikernel", "name", "NAME",
      "version", "target", "OPTIONS", "_", "x__y", "9lives", "Stack", "string", "list", "var");

  static final List<String> NASTY = List.of(
      "", "plain", "with \"quotes\"", "comment */ end", "back\\slash \\u0041", "dollar $L $S $$",
      "new\nline", "tab\there", "unicode é ✓ 🐫", "<html> & {@code x}", "@param p");

  /**
   * Driver and job classes by signature (interface, factory or constructor, parameter kinds):
   * models with the same signature share a class, which keeps the stubs few and javac fast.
   */
  private static final java.util.Map<String, String> CLASSES = new java.util.HashMap<>();

  private static synchronized String classFor(String prefix, String signature) {
    return CLASSES.computeIfAbsent(signature, k -> prefix + CLASSES.size());
  }

  private final Random random;
  private final int index;
  private final List<DeviceNode> devices = new ArrayList<>();
  private final List<RuntimeKey> keys = new ArrayList<>();
  private final List<ConfigureKey> configure = new ArrayList<>();
  private int line = 1;

  private RandomModels(Random random, int index) {
    this.random = random;
    this.index = index;
  }

  /** The {@code index}-th model from {@code random}. */
  static UnikernelModel model(Random random, int index) {
    return new RandomModels(random, index).build();
  }

  /** The package that holds the stubs and wiring of model {@code index}. */
  static String packageOf(int index) {
    return "rnd.m" + index;
  }

  private SourceLocation at() {
    return new SourceLocation(random.nextInt(4) == 0 ? "std.mirage" : "config.mirage", line++, 1 + random.nextInt(40));
  }

  private String name(String prefix) {
    return random.nextInt(3) == 0
        ? AWKWARD.get(random.nextInt(AWKWARD.size()))
        : prefix + random.nextInt(1000);
  }

  private UnikernelModel build() {
    String target = List.of("unix", "xen", "arm").get(random.nextInt(3));
    String arch = target.equals("arm") ? (random.nextBoolean() ? "aarch64" : "armv7") : "x86_64";

    int nKeys = random.nextInt(7);
    for (int i = 0; i < nKeys; i++) {
      String keyName = uniqueKeyName();
      ValueType type = type(false);
      boolean required = random.nextInt(5) == 0;
      keys.add(new RuntimeKey(keyName, type, required ? Optional.empty() : Optional.of(value(type)),
          required, nasty(), at()));
    }
    keys.sort(Comparator.comparing(RuntimeKey::name));
    if (random.nextBoolean()) {
      configure.add(new ConfigureKey("memory", new Value.IntValue(64 + random.nextInt(4096)), true, nasty(), at()));
    }
    if (random.nextBoolean()) {
      configure.add(new ConfigureKey("vcpus", new Value.IntValue(1 + random.nextInt(8)), false, nasty(), at()));
    }
    int nConfigure = random.nextInt(3);
    for (int i = 0; i < nConfigure; i++) {
      String n = "c" + i + (random.nextBoolean() ? "" : "_" + name("k"));
      ValueType type = type(true);
      configure.add(new ConfigureKey(n, value(type), random.nextBoolean(), nasty(), at()));
    }
    configure.sort(Comparator.comparing(ConfigureKey::name));

    int nDevices = 1 + random.nextInt(10);
    for (int i = 0; i < nDevices; i++) {
      devices.add(random.nextInt(5) == 0 && !devices.isEmpty() ? reuse(i) : fresh(i, target));
    }
    List<JobNode> jobs = new ArrayList<>();
    int nJobs = random.nextInt(3);
    for (int j = 0; j < nJobs; j++) {
      List<Argument> args = new ArrayList<>();
      int n = random.nextInt(5);
      for (int a = 0; a < n; a++) {
        args.add(argument("arg" + a, randomInterfaceOrValue()));
      }
      String signature = "job" + args.stream().map(a -> kindOf(a).toString()).toList();
      jobs.add(new JobNode(nasty() + j, classFor("rnd.app.Job", signature), args, deps(args), at()));
    }
    return new UnikernelModel("u-" + index + "." + name("n").replaceAll("[^A-Za-z0-9]", "x"),
        TestModels.platform(target, arch), "config.mirage", configure, keys, devices, jobs, List.of(), new SourceLocation("config.mirage", 1, 1));
  }

  private String uniqueKeyName() {
    while (true) {
      String n = random.nextInt(3) == 0 ? "net" + random.nextInt(3) + "-" + name("if") : name("key");
      if (n.equals("help") || n.equals("version") || !n.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
        continue;
      }
      if (keys.stream().noneMatch(k -> k.name().equals(n))) {
        return n;
      }
    }
  }

  private String nasty() {
    return NASTY.get(random.nextInt(NASTY.size()));
  }

  private ValueType type(boolean nestedListsAllowed) {
    int r = random.nextInt(10);
    if (r < 7) {
      return ValueType.of(ValueType.Kind.values()[r]);
    }
    if (r == 7) {
      List<String> values = new ArrayList<>();
      int n = 1 + random.nextInt(4);
      for (int i = 0; i < n; i++) {
        values.add("v" + i + (random.nextBoolean() ? "" : "-x"));
      }
      return new ValueType.Choice(values);
    }
    ValueType element = type(false);
    if (element instanceof ValueType.ListOf && !nestedListsAllowed) {
      element = ValueType.of(ValueType.Kind.PORT);
    }
    return new ValueType.ListOf(element);
  }

  private Value value(ValueType type) {
    if (type instanceof ValueType.Choice c) {
      return new Value.ChoiceValue(c, c.values().get(random.nextInt(c.values().size())));
    }
    if (type instanceof ValueType.ListOf l) {
      List<Value> elements = new ArrayList<>();
      int n = random.nextInt(13);
      for (int i = 0; i < n; i++) {
        elements.add(value(l.element()));
      }
      return new Value.ListValue(l, elements);
    }
    switch (((ValueType.Primitive) type).kind()) {
      case INT:
        return new Value.IntValue(List.of(0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, random.nextLong())
            .get(random.nextInt(5)));
      case BOOL:
        return new Value.BoolValue(random.nextBoolean());
      case STRING:
        return new Value.StringValue(nasty());
      case PORT:
        return new Value.PortValue(random.nextInt(65536));
      case IPV4_ADDRESS:
        return new Value.Ipv4AddressValue(quad());
      case IPV4_PREFIX:
        return new Value.Ipv4PrefixValue(quad() + "/" + random.nextInt(33));
      case IPV6_ADDRESS:
        return new Value.Ipv6AddressValue("fd00::" + Integer.toHexString(random.nextInt(65536)));
      case IPV6_PREFIX:
        return new Value.Ipv6PrefixValue("fd00::1/" + random.nextInt(129));
      default:
        return new Value.DurationValue(List.of(Duration.ZERO, Duration.ofMillis(1 + random.nextInt(999)),
            Duration.ofSeconds(random.nextInt(100)), Duration.ofMinutes(1 + random.nextInt(59)),
            Duration.ofHours(random.nextInt(48)), Duration.ofNanos(1 + random.nextInt(1000)))
            .get(random.nextInt(6)));
    }
  }

  private String quad() {
    return random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
  }

  private Object randomInterfaceOrValue() {
    return random.nextInt(2) == 0 && !devices.isEmpty()
        ? devices.get(random.nextInt(devices.size())).typeInterface()
        : (Object) type(true);
  }

  /** An argument of the given kind: a device of that interface, or a key or constant of that type. */
  private Argument argument(String param, Object kind) {
    if (kind instanceof String iface) {
      List<DeviceNode> candidates = devices.stream().filter(d -> d.typeInterface().equals(iface)).toList();
      return new Argument.DeviceArg(param, candidates.get(random.nextInt(candidates.size())).id());
    }
    ValueType type = (ValueType) kind;
    List<RuntimeKey> sameType = keys.stream().filter(k -> k.type().equals(type)).toList();
    if (!sameType.isEmpty() && random.nextBoolean()) {
      return new Argument.RuntimeKeyArg(param, sameType.get(random.nextInt(sameType.size())).name());
    }
    List<ConfigureKey> sameConfigure = configure.stream().filter(k -> k.value().type().equals(type)).toList();
    if (!sameConfigure.isEmpty() && random.nextBoolean()) {
      ConfigureKey k = sameConfigure.get(random.nextInt(sameConfigure.size()));
      return new Argument.ConstantArg(param, k.value(), k.name());
    }
    return new Argument.ConstantArg(param, value(type), null);
  }

  private Object kindOf(Argument a) {
    if (a instanceof Argument.DeviceArg d) {
      return devices.stream().filter(x -> x.id().equals(d.deviceId())).findFirst().orElseThrow().typeInterface();
    }
    if (a instanceof Argument.RuntimeKeyArg k) {
      return keys.stream().filter(x -> x.name().equals(k.keyName())).findFirst().orElseThrow().type();
    }
    return ((Argument.ConstantArg) a).value().type();
  }

  private static List<String> deps(List<Argument> args) {
    List<String> deps = new ArrayList<>();
    for (Argument a : args) {
      if (a instanceof Argument.DeviceArg d && !deps.contains(d.deviceId())) {
        deps.add(d.deviceId());
      }
    }
    return deps;
  }

  private String deviceId(int i) {
    String id = name("dev");
    return devices.stream().anyMatch(d -> d.id().equals(id)) ? id + "_" + i : id;
  }

  private List<HostResource> resources(String target) {
    List<HostResource> resources = new ArrayList<>();
    if (!target.equals("unix")) {
      int n = random.nextInt(3);
      for (int i = 0; i < n; i++) {
        resources.add(random.nextBoolean()
            ? new HostResource.Disk("disk" + random.nextInt(30) + ".img")
            : new HostResource.Vif("net" + random.nextInt(4)));
      }
    }
    return resources;
  }

  private DeviceNode fresh(int i, String target) {
    String iface = "org.mirage4j.api." + INTERFACES.get(random.nextInt(INTERFACES.size()));
    List<Argument> args = new ArrayList<>();
    int n = random.nextInt(4);
    for (int a = 0; a < n; a++) {
      args.add(argument("p" + a, randomInterfaceOrValue()));
    }
    Optional<String> factory = random.nextInt(4) == 0 ? Optional.of("create") : Optional.empty();
    String signature = iface + factory + args.stream().map(a -> kindOf(a).toString()).toList();
    return new DeviceNode(deviceId(i), nasty() + i, "t" + i, iface, "driver" + i,
        classFor("rnd.drivers.Driver", signature), factory, args, deps(args), resources(target), at());
  }

  /** Another device of an earlier device's driver, with arguments of the same kinds. */
  private DeviceNode reuse(int i) {
    DeviceNode model = devices.get(random.nextInt(devices.size()));
    List<Argument> args = new ArrayList<>();
    for (Argument a : model.arguments()) {
      args.add(argument(a.parameterName(), kindOf(a)));
    }
    return new DeviceNode(deviceId(i), nasty() + i, model.typeName(), model.typeInterface(),
        model.driverName(), model.driverClass(), model.factoryMethod(), args, deps(args),
        model.resources(), at());
  }
}
