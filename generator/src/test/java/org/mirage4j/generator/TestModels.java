package org.mirage4j.generator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.mirage4j.model.Argument;
import org.mirage4j.model.Artifact;
import org.mirage4j.model.ConfigureKey;
import org.mirage4j.model.DeviceNode;
import org.mirage4j.model.HostResource;
import org.mirage4j.model.JobNode;
import org.mirage4j.model.Platform;
import org.mirage4j.model.RuntimeKey;
import org.mirage4j.model.SourceLocation;
import org.mirage4j.model.UnikernelModel;
import org.mirage4j.model.Value;
import org.mirage4j.model.ValueType;

/**
 * The representative models of the golden tests, built directly in Java as lowering would produce
 * them from the configuration quoted above each one, for each target.
 */
final class TestModels {

  private TestModels() {}

  /** The golden cases by name; each gives the model for a target and an arch. */
  static final Map<String, Function<String, UnikernelModel>> CASES = new TreeMap<>(Map.of(
      "hello", TestModels::hello,
      "keys", TestModels::keys,
      "network", TestModels::network,
      "storage", TestModels::storage,
      "jobs", TestModels::jobs));

  /** The targets of std.mirage, in documentation order. */
  static final List<String> TARGETS = List.of("unix", "xen", "arm");

  static String arch(String target) {
    return target.equals("arm") ? "aarch64" : "x86_64";
  }

  /** The platform std.mirage declares for a target at its default architecture. */
  static Platform platform(String target) {
    return platform(target, arch(target));
  }

  static Platform platform(String target, String arch) {
    if (target.equals("unix")) {
      return Platform.process(target, arch);
    }
    return Platform.xenGuest(target, arch, arch.equals("x86_64") ? "bzImage" : arch.equals("armv7") ? "zImage" : "Image");
  }

  // ---------------------------------------------------------------- building blocks

  static SourceLocation at(int line, int column) {
    return new SourceLocation("config.mirage", line, column);
  }

  static SourceLocation std(int line) {
    return new SourceLocation("std.mirage", line, 1);
  }

  static Argument dev(String param, String id) {
    return new Argument.DeviceArg(param, id);
  }

  static Argument key(String param, String key) {
    return new Argument.RuntimeKeyArg(param, key);
  }

  static Argument lit(String param, Value value) {
    return new Argument.ConstantArg(param, value, null);
  }

  static Argument fromKey(String param, Value value, String configureKey) {
    return new Argument.ConstantArg(param, value, configureKey);
  }

  static ValueType t(ValueType.Kind kind) {
    return ValueType.of(kind);
  }

  static List<String> deps(List<Argument> args) {
    List<String> deps = new ArrayList<>();
    for (Argument a : args) {
      if (a instanceof Argument.DeviceArg d && !deps.contains(d.deviceId())) {
        deps.add(d.deviceId());
      }
    }
    return deps;
  }

  static DeviceNode device(
      String id, String name, String type, String iface, String driver, String driverClass,
      SourceLocation at, List<HostResource> resources, Argument... args) {
    List<Argument> list = List.of(args);
    return new DeviceNode(id, name, type, "org.mirage4j.api." + iface, driver, driverClass,
        Optional.empty(), list, deps(list), resources, at);
  }

  /** The same device, created by a static factory method of its driver class. */
  static DeviceNode withFactory(String method, DeviceNode d) {
    return new DeviceNode(d.id(), d.name(), d.typeName(), d.typeInterface(), d.driverName(),
        d.driverClass(), Optional.of(method), d.arguments(), d.dependencies(), d.resources(),
        d.location());
  }

  static JobNode job(String name, String className, SourceLocation at, Argument... args) {
    List<Argument> list = List.of(args);
    return new JobNode(name, className, list, deps(list), at);
  }

  static RuntimeKey runtimeKey(String name, ValueType type, Value dflt, String doc, int line) {
    return new RuntimeKey(name, type, Optional.ofNullable(dflt), dflt == null, doc, at(line, 5));
  }

  static RuntimeKey withAliases(RuntimeKey k, String... aliases) {
    return new RuntimeKey(k.name(), k.type(), k.defaultValue(), k.required(), k.doc(), k.location(), List.of(aliases));
  }

  static ConfigureKey configureKey(String name, Value value, boolean fromUser, String doc, int line) {
    return new ConfigureKey(name, value, fromUser, doc, at(line, 5));
  }

  static UnikernelModel model(
      String name, String target, List<ConfigureKey> configure, List<RuntimeKey> runtime,
      List<DeviceNode> devices, List<JobNode> jobs) {
    return new UnikernelModel(name, platform(target), "config.mirage", configure, runtime,
        devices, jobs, List.of(new Artifact("org.mirage4j", "mirage4j-driver-console", "")),
        at(1, 1));
  }

  static DeviceNode console() {
    return device("default_console", "default_console", "console", "Console", "stdout_console",
        "org.mirage4j.drivers.console.StdoutConsole", std(12), List.of());
  }

  static DeviceNode mclock() {
    return device("default_mclock", "default_mclock", "mclock", "MonotonicClock", "system_mclock",
        "org.mirage4j.drivers.clock.SystemMonotonicClock", std(13), List.of());
  }

  static DeviceNode random() {
    return device("default_random", "default_random", "random", "RandomSource", "secure_random",
        "org.mirage4j.drivers.random.SecureRandomSource", std(15), List.of());
  }

  // ---------------------------------------------------------------- the cases

  /**
   * <pre>
   * unikernel hello
   * key message : string = "Hello, world" "what to print"
   * job org.example.hello.Hello(default_console, message)
   * </pre>
   */
  static UnikernelModel hello(String target) {
    return model("hello", target, List.of(),
        List.of(runtimeKey("message", t(ValueType.Kind.STRING),
            new Value.StringValue("Hello, world"), "what to print", 2)),
        List.of(console()),
        List.of(job("Hello", "org.example.hello.Hello", at(3, 1),
            dev("arg0", "default_console"), key("arg1", "message"))));
  }

  /**
   * Every key type, as runtime keys and configure-time keys, including a required key, a list, a
   * doc with characters that need escaping, and configure keys memory and vcpus.
   */
  static UnikernelModel keys(String target) {
    ValueType.Choice level = new ValueType.Choice(List.of("debug", "info", "warn"));
    ValueType.Choice net = new ValueType.Choice(List.of("socket", "direct"));
    ValueType.ListOf addresses = new ValueType.ListOf(t(ValueType.Kind.IPV4_ADDRESS));
    ValueType.ListOf ports = new ValueType.ListOf(t(ValueType.Kind.PORT));
    List<RuntimeKey> runtime = List.of(
        runtimeKey("backlog", t(ValueType.Kind.INT), new Value.IntValue(128), "listen backlog", 3),
        runtimeKey("dns", addresses, new Value.ListValue(addresses, List.of(
            new Value.Ipv4AddressValue("1.1.1.1"), new Value.Ipv4AddressValue("9.9.9.9"))),
            "resolvers, comma-separated", 4),
        runtimeKey("gateway", t(ValueType.Kind.IPV4_ADDRESS), new Value.Ipv4AddressValue("10.0.0.1"),
            "default route", 5),
        runtimeKey("ipv4", t(ValueType.Kind.IPV4_PREFIX), new Value.Ipv4PrefixValue("10.0.0.2/24"),
            "address of the direct stack", 6),
        runtimeKey("log-level", level, new Value.ChoiceValue(level, "info"), "how much to log", 7),
        runtimeKey("port", t(ValueType.Kind.PORT), new Value.PortValue(8080), "TCP port that serves the slides", 8),
        runtimeKey("secret", t(ValueType.Kind.STRING), null, "API token; \"quoted\", */ and \\u0041 stay text", 9),
        runtimeKey("timeout", t(ValueType.Kind.DURATION), new Value.DurationValue(Duration.ofSeconds(30)),
            "idle timeout", 10),
        runtimeKey("trace-ports", ports, new Value.ListValue(ports, List.of()), "", 11),
        runtimeKey("verbose", t(ValueType.Kind.BOOL), new Value.BoolValue(false), "log every request", 12));
    List<ConfigureKey> configure = List.of(
        configureKey("memory", new Value.IntValue(512), true, "guest memory in MiB", 14),
        configureKey("net", new Value.ChoiceValue(net, "socket"), false, "which network stack to link", 15),
        configureKey("tls", new Value.BoolValue(true), true, "", 16),
        configureKey("vcpus", new Value.IntValue(2), true, "guest CPUs", 17));
    List<DeviceNode> devices = List.of(
        console(),
        device("settings", "settings", "settings", "KvRo", "settings_store",
            "org.example.keys.Settings", at(19, 16), List.of(),
            key("backlog", "backlog"), key("dns", "dns"), key("gateway", "gateway"),
            key("ipv4", "ipv4"), key("level", "log-level"), key("port", "port"),
            key("secret", "secret"), key("timeout", "timeout"), key("tracePorts", "trace-ports"),
            key("verbose", "verbose"), fromKey("net", new Value.ChoiceValue(net, "socket"), "net"),
            fromKey("tls", new Value.BoolValue(true), "tls"),
            lit("retry", new Value.DurationValue(Duration.ofMillis(1500))),
            lit("limit", new Value.IntValue(-1))));
    return model("keys", target, configure, runtime, devices,
        List.of(job("KeyReport", "org.example.keys.KeyReport", at(21, 1),
            dev("arg0", "default_console"), dev("arg1", "settings"))));
  }

  /**
   * The direct stack over the target's NIC, serving HTTP.
   *
   * <pre>
   * key port : port = 80
   * key ipv4 : ipv4-prefix = 10.0.0.2/24
   * device net = match target { unix -> tap("tap0")  xen, arm -> netfront("net0") }
   * device stack = direct_stack(ipv4_static(ethernet(net), arp(...), ipv4, [10.0.0.1]), ...)
   * device http = http_server(stack, port)
   * job org.example.web.Site(default_console, http)
   * </pre>
   */
  static UnikernelModel network(String target) {
    ValueType.ListOf addresses = new ValueType.ListOf(t(ValueType.Kind.IPV4_ADDRESS));
    DeviceNode net = target.equals("unix")
        ? device("net", "net", "network", "Network", "tap", "org.mirage4j.drivers.tap.TapNetwork",
            at(4, 14), List.of(), lit("interfaceName", new Value.StringValue("tap0")))
        : device("net", "net", "network", "Network", "netfront",
            "org.mirage4j.drivers.packet.NetfrontNetwork", at(4, 14),
            List.of(new HostResource.Vif("net0")), lit("networkName", new Value.StringValue("net0")));
    String d = "org.mirage4j.drivers.direct.";
    List<DeviceNode> devices = List.of(
        console(), mclock(), random(), net,
        device("ethernet_net", "ethernet(net)", "ethernet", "Ethernet", "ethernet", d + "EthernetLayer",
            at(5, 25), List.of(), dev("network", "net")),
        device("arp_ethernet_net", "arp(ethernet(net), default_mclock)", "arp", "Arp", "arp",
            d + "ArpLayer", at(5, 40), List.of(), dev("ethernet", "ethernet_net"), dev("clock", "default_mclock")),
        device("ip", "ip", "ipv4", "Ipv4", "ipv4_static", d + "StaticIpv4", at(5, 11), List.of(),
            dev("ethernet", "ethernet_net"), dev("arp", "arp_ethernet_net"), key("prefix", "ipv4"),
            lit("gateways", new Value.ListValue(addresses, List.of(new Value.Ipv4AddressValue("10.0.0.1"))))),
        device("icmp_ip", "icmp(ip)", "icmp", "Icmp", "icmp", d + "IcmpLayer", at(6, 28), List.of(),
            dev("ipv4", "ip")),
        device("udp_ip", "udp(ip, default_random)", "udp", "Udp", "udp", d + "UdpLayer", at(6, 38),
            List.of(), dev("ipv4", "ip"), dev("random", "default_random")),
        device("tcp_ip", "tcp(ip, default_mclock, default_random)", "tcp", "Tcp", "tcp", d + "TcpLayer",
            at(6, 55), List.of(), dev("ipv4", "ip"), dev("clock", "default_mclock"), dev("random", "default_random")),
        device("stack", "stack", "stack", "Stack", "direct_stack", d + "DirectStack", at(6, 15), List.of(),
            dev("ipv4", "ip"), dev("icmp", "icmp_ip"), dev("udp", "udp_ip"), dev("tcp", "tcp_ip")),
        device("http", "http", "http_server", "HttpServer", "http_server",
            "org.mirage4j.drivers.http.StackHttpServer", at(7, 14), List.of(),
            dev("stack", "stack"), key("port", "port")));
    return model("web", target, List.of(),
        List.of(
            runtimeKey("ipv4", t(ValueType.Kind.IPV4_PREFIX), new Value.Ipv4PrefixValue("10.0.0.2/24"),
                "address and network of the guest", 3),
            withAliases(runtimeKey("port", t(ValueType.Kind.PORT), new Value.PortValue(80), "HTTP port", 2), "p")),
        devices,
        List.of(job("Site", "org.example.web.Site", at(9, 1), dev("arg0", "default_console"),
            dev("arg1", "http"))));
  }

  /**
   * A block device and a crunched kv_ro (the project's {@code htdocs}), and two disks on guests.
   *
   * <pre>
   * device disk = match target { unix -> file_block("disk.img", 1048576)  xen, arm -> xen_block("disk.img") }
   * device logs = ... xen_block("logs.img")
   * device site = crunch("./htdocs/")
   * job org.example.store.Store(default_console, disk, logs, site)
   * </pre>
   */
  static UnikernelModel storage(String target) {
    boolean unix = target.equals("unix");
    DeviceNode disk = unix
        ? device("disk", "disk", "block", "Block", "file_block", "org.mirage4j.drivers.block.FileBlock",
            at(2, 13), List.of(), lit("file", new Value.StringValue("disk.img")),
            lit("sizeBytes", new Value.IntValue(1 << 20)))
        : device("disk", "disk", "block", "Block", "xen_block", "org.mirage4j.drivers.block.XenBlock",
            at(2, 13), List.of(new HostResource.Disk("disk.img")), lit("file", new Value.StringValue("disk.img")));
    DeviceNode logs = unix
        ? device("logs", "logs", "block", "Block", "file_block", "org.mirage4j.drivers.block.FileBlock",
            at(3, 13), List.of(), lit("file", new Value.StringValue("logs.img")),
            lit("sizeBytes", new Value.IntValue(1 << 24)))
        : device("logs", "logs", "block", "Block", "xen_block", "org.mirage4j.drivers.block.XenBlock",
            at(3, 13), List.of(new HostResource.Disk("logs.img")), lit("file", new Value.StringValue("logs.img")));
    DeviceNode site = device("site", "site", "kv_ro", "KvRo", "crunch", "org.mirage4j.drivers.kv.CrunchKvRo",
        at(4, 13), List.of(new HostResource.Embed("./htdocs/")), lit("dir", new Value.StringValue("./htdocs/")));
    return model("store", target,
        List.of(configureKey("memory", new Value.IntValue(128), true, "guest memory in MiB", 6)),
        List.of(), List.of(console(), disk, logs, site),
        List.of(job("Store", "org.example.store.Store", at(8, 1), dev("arg0", "default_console"),
            dev("arg1", "disk"), dev("arg2", "logs"), dev("arg3", "site"))));
  }

  /**
   * Two jobs sharing a stack and the console, one with a key and a literal; on guests the stack
   * comes from a static factory ({@code GuestStack.dhcp(...)}) and attaches two networks.
   *
   * <pre>
   * job org.example.jobs.Pinger(default_console, stack, interval)
   * job org.example.jobs.Echo(stack, 7) as echo
   * </pre>
   */
  static UnikernelModel jobs(String target) {
    DeviceNode stack = target.equals("unix")
        ? device("stack", "socket_stack", "stack", "Stack", "socket_stack",
            "org.mirage4j.drivers.socket.SocketStack", std(40), List.of())
        : withFactory("dhcp", device("stack", "stack", "stack", "Stack", "dhcp_stack",
            "org.example.jobs.GuestStack", at(3, 15),
            List.of(new HostResource.Vif("net0"), new HostResource.Vif("net1")),
            lit("networks", new Value.ListValue(new ValueType.ListOf(t(ValueType.Kind.STRING)),
                List.of(new Value.StringValue("net0"), new Value.StringValue("net1"))))));
    return model("jobs", target, List.of(),
        List.of(runtimeKey("interval", t(ValueType.Kind.DURATION),
            new Value.DurationValue(Duration.ofMinutes(2)), "time between pings", 2)),
        List.of(console(), stack),
        List.of(
            job("Pinger", "org.example.jobs.Pinger", at(5, 1), dev("arg0", "default_console"),
                dev("arg1", "stack"), key("arg2", "interval")),
            job("echo", "org.example.jobs.Echo", at(6, 1), dev("arg0", "stack"),
                lit("arg1", new Value.PortValue(7)))));
  }
}
