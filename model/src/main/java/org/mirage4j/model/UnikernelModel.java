package org.mirage4j.model;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The resolved device graph of one unikernel for one target: what the generator consumes.
 *
 * <p>The constructor checks the graph's invariants, so a model that exists is well formed: device ids
 * and runtime-key names are unique, {@link #devices()} is in dependency order (every device comes
 * after the devices it receives), and every argument refers to a device or key of the model.
 *
 * @param name the unikernel's name ({@code slides}); the generated class is named after it
 * @param platform the target, its kind and the architecture
 * @param configFile the configuration file as shown to the user
 * @param configureKeys every configure-time key with its value in force, sorted by name
 * @param runtimeKeys every runtime key used by the graph, sorted by name
 * @param devices the devices in dependency order
 * @param jobs the jobs, in declaration order
 * @param artifacts the Maven artifacts providing the drivers, sorted, without repeats
 * @param location the {@code unikernel} declaration
 */
public record UnikernelModel(
    String name,
    Platform platform,
    String configFile,
    List<ConfigureKey> configureKeys,
    List<RuntimeKey> runtimeKeys,
    List<DeviceNode> devices,
    List<JobNode> jobs,
    List<Artifact> artifacts,
    SourceLocation location) {

  /** Copies the lists and checks the graph's invariants. */
  public UnikernelModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(configFile, "configFile");
    Objects.requireNonNull(location, "location");
    configureKeys = List.copyOf(configureKeys);
    runtimeKeys = List.copyOf(runtimeKeys);
    devices = List.copyOf(devices);
    jobs = List.copyOf(jobs);
    artifacts = List.copyOf(artifacts);

    Set<String> keys = new HashSet<>();
    for (RuntimeKey k : runtimeKeys) {
      if (!keys.add(k.name())) {
        throw new IllegalArgumentException("duplicate runtime key " + k.name());
      }
    }
    Set<String> seen = new HashSet<>();
    for (DeviceNode d : devices) {
      checkArguments(d.id(), d.arguments(), seen, keys);
      for (String dep : d.dependencies()) {
        if (!seen.contains(dep)) {
          throw new IllegalArgumentException(
              "device " + d.id() + " depends on " + dep + ", which does not come before it");
        }
      }
      if (!seen.add(d.id())) {
        throw new IllegalArgumentException("duplicate device id " + d.id());
      }
    }
    for (JobNode j : jobs) {
      checkArguments(j.name(), j.arguments(), seen, keys);
    }
  }

  private static void checkArguments(
      String owner, List<Argument> arguments, Set<String> devices, Set<String> keys) {
    for (Argument a : arguments) {
      if (a instanceof Argument.DeviceArg d && !devices.contains(d.deviceId())) {
        throw new IllegalArgumentException(owner + " receives unknown or later device " + d.deviceId());
      }
      if (a instanceof Argument.RuntimeKeyArg k && !keys.contains(k.keyName())) {
        throw new IllegalArgumentException(owner + " receives unknown runtime key " + k.keyName());
      }
    }
  }

  /** The target's name ({@code unix}, {@code xen}, {@code arm}). */
  public String target() {
    return platform.target();
  }

  /** The architecture ({@code x86_64}, {@code aarch64}, {@code armv7}). */
  public String arch() {
    return platform.arch();
  }

  /** The device with the given id. */
  public Optional<DeviceNode> device(String id) {
    return devices.stream().filter(d -> d.id().equals(id)).findFirst();
  }

  /** The configure-time key with the given name. */
  public Optional<ConfigureKey> configureKey(String name) {
    return configureKeys.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  /** The runtime key with the given name. */
  public Optional<RuntimeKey> runtimeKey(String name) {
    return runtimeKeys.stream().filter(k -> k.name().equals(name)).findFirst();
  }
}
