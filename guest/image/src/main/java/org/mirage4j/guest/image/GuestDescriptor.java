package org.mirage4j.guest.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A generated guest as the generator describes it in {@code <name>.guest}, next to its {@code .xl}:
 * what the image builder and the boot tools need without reading the configuration again.
 *
 * @param dir the directory the descriptor is in (the target's artifacts directory)
 * @param name the unikernel's name
 * @param target the target ({@code xen}, {@code arm})
 * @param arch the guest's architecture
 * @param kernel the kernel file's name ({@code slides.vmlinuz})
 * @param ramdisk the initramfs's name ({@code slides.initrd})
 * @param memoryMiB guest memory in MiB
 * @param vcpus virtual CPUs
 * @param commandLine the kernel command line of the {@code .xl} ({@code console=hvc0 quiet --})
 * @param networks the guest's network interfaces in use ({@code eth0})
 * @param disks the guest's disks: host file (as the configuration names it) to Xen device
 *     ({@code disk.img} to {@code xvdb})
 * @param options the unikernel's command-line options, by name, with their types and defaults
 */
public record GuestDescriptor(
    Path dir,
    String name,
    String target,
    GuestArch arch,
    String kernel,
    String ramdisk,
    long memoryMiB,
    long vcpus,
    String commandLine,
    List<String> networks,
    Map<String, String> disks,
    Map<String, Option> options) {

  /** The descriptor's file name for a unikernel. */
  public static String fileName(String name) {
    return name + ".guest";
  }

  /**
   * A command-line option of the unikernel.
   *
   * @param name the option without {@code --}
   * @param type its type as the language writes it ({@code port}, {@code ipv4-prefix})
   * @param defaultValue its default, if it has one
   */
  public record Option(String name, String type, Optional<String> defaultValue) {}

  /** Copies the collections. */
  public GuestDescriptor {
    networks = List.copyOf(networks);
    disks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(disks));
    options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** The kernel file. */
  public Path kernelFile() {
    return dir.resolve(kernel);
  }

  /** The initramfs file. */
  public Path ramdiskFile() {
    return dir.resolve(ramdisk);
  }

  /** The guest's Xen device names of its disks ({@code xvdb}, ...), in order. */
  public List<String> diskDevices() {
    return List.copyOf(disks.values());
  }

  /**
   * The descriptors in a target's artifacts directory ({@code target/mirage/xen}), sorted by name.
   *
   * @throws GuestImageException if the directory has none, or one cannot be read
   */
  public static List<GuestDescriptor> find(Path dir) throws GuestImageException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".guest")).sorted().toList();
    } catch (IOException e) {
      files = List.of();
    }
    if (files.isEmpty()) {
      throw new GuestImageException("no generated guest in " + dir + " (no <name>.guest file): generate for a guest"
          + " target first (mvn mirage:generate -Dmirage.target=xen, or mirage configure -t xen)");
    }
    List<GuestDescriptor> out = new ArrayList<>();
    for (Path f : files) {
      out.add(read(f));
    }
    return out;
  }

  /** Reads one descriptor. */
  public static GuestDescriptor read(Path file) throws GuestImageException {
    Map<String, String> f = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int eq = line.indexOf(" = ");
        if (!line.startsWith("#") && eq > 0) {
          f.put(line.substring(0, eq).trim(), line.substring(eq + 3));
        } else if (!line.startsWith("#") && line.endsWith(" =")) {
          f.put(line.substring(0, line.length() - 2).trim(), "");
        }
      }
    } catch (IOException e) {
      throw new GuestImageException("cannot read the guest description " + file + ": " + e.getMessage(), e);
    }
    String archName = need(f, "arch", file);
    GuestArch arch = GuestArch.of(archName).orElseThrow(() -> new GuestImageException(
        file + ": the guest image builder knows no architecture '" + archName + "' (it builds x86_64, aarch64, armv7)"));
    Map<String, String> disks = new LinkedHashMap<>();
    for (String d : words(f.getOrDefault("disks", ""))) {
      int colon = d.lastIndexOf(':');
      if (colon <= 0) {
        throw new GuestImageException(file + ": not a disk 'FILE:DEVICE': " + d);
      }
      disks.put(d.substring(0, colon), d.substring(colon + 1));
    }
    Map<String, Option> options = new LinkedHashMap<>();
    for (String o : words(f.getOrDefault("options", ""))) {
      options.put(o, new Option(o, f.getOrDefault("option." + o + ".type", "string"),
          Optional.ofNullable(f.get("option." + o + ".default"))));
    }
    try {
      return new GuestDescriptor(file.getParent(), need(f, "name", file), need(f, "target", file), arch,
          need(f, "kernel", file), need(f, "ramdisk", file), Long.parseLong(f.getOrDefault("memory", "256")),
          Long.parseLong(f.getOrDefault("vcpus", "1")), f.getOrDefault("command-line", "console=hvc0 --"),
          words(f.getOrDefault("networks", "")), disks, options);
    } catch (NumberFormatException e) {
      throw new GuestImageException(file + ": memory and vcpus must be numbers", e);
    }
  }

  private static String need(Map<String, String> f, String key, Path file) throws GuestImageException {
    String v = f.get(key);
    if (v == null || v.isBlank()) {
      throw new GuestImageException(file + " has no '" + key + " = ...' line; generate again");
    }
    return v.trim();
  }

  private static List<String> words(String s) {
    return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
  }
}
