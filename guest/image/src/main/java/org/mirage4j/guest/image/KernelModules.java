package org.mirage4j.guest.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.mirage4j.guest.elf.ElfFile;

/**
 * The loadable modules of a Debian kernel package, and the order to load a set of them in: each
 * module after the modules it depends on, as {@code modules.dep} (which {@code depmod} writes from
 * the same {@code depends=} fields of each module's {@code .modinfo}) would give. Modules built into
 * the kernel are not files and need no loading; a wanted module the kernel does not have is left out
 * (a guest image carries the Xen and the virtio drivers and loads whichever the machine has).
 */
public final class KernelModules {

  /**
   * A module to load.
   *
   * @param name its name, with {@code _} for {@code -} as the kernel spells it
   * @param file its file, relative to the modules directory ({@code kernel/drivers/net/virtio_net.ko})
   */
  public record Module(String name, String file) {}

  private final Path dir;
  private final String release;
  private final Map<String, Path> byName = new HashMap<>();

  private KernelModules(Path dir, String release) {
    this.dir = dir;
    this.release = release;
  }

  /**
   * The modules of the kernel extracted under {@code root} ({@code lib/modules/<release>/}).
   *
   * @throws GuestImageException if the tree holds no kernel modules, or more than one release
   */
  public static KernelModules of(Path root) throws GuestImageException {
    Path base = root.resolve("lib/modules");
    List<Path> releases;
    try (Stream<Path> s = Files.list(base)) {
      releases = s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new GuestImageException("the kernel package has no lib/modules directory (" + base + ")", e);
    }
    if (releases.size() != 1) {
      throw new GuestImageException("expected one kernel release under " + base + ", found " + releases.size());
    }
    KernelModules m = new KernelModules(releases.get(0), releases.get(0).getFileName().toString());
    try (Stream<Path> s = Files.walk(m.dir)) {
      for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".ko")).sorted().toList()) {
        m.byName.putIfAbsent(canonical(p.getFileName().toString().replaceAll("\\.ko$", "")), p);
      }
    } catch (IOException e) {
      throw new GuestImageException("cannot list the kernel modules under " + m.dir + ": " + e.getMessage(), e);
    }
    return m;
  }

  /** The kernel release ({@code 6.1.0-57-cloud-amd64}). */
  public String release() {
    return release;
  }

  /** Whether the kernel has {@code name} as a loadable module. */
  public boolean has(String name) {
    return byName.containsKey(canonical(name));
  }

  /** The module file of {@code name}. */
  public Path file(Module module) {
    return dir.resolve(module.file());
  }

  /**
   * The modules to load, dependencies first, for the wanted modules this kernel has as files (in
   * the order wanted, each module once).
   *
   * @throws GuestImageException if a module names a dependency the kernel does not have, or the
   *     dependencies form a cycle
   */
  public List<Module> loadOrder(List<String> wanted) throws GuestImageException {
    Set<String> done = new LinkedHashSet<>();
    for (String w : wanted) {
      String name = canonical(w);
      if (byName.containsKey(name)) {
        visit(name, done, new LinkedHashSet<>());
      }
    }
    List<Module> out = new ArrayList<>();
    for (String n : done) {
      out.add(new Module(n, dir.relativize(byName.get(n)).toString()));
    }
    return out;
  }

  private void visit(String name, Set<String> done, Set<String> path) throws GuestImageException {
    if (done.contains(name)) {
      return;
    }
    if (!path.add(name)) {
      throw new GuestImageException("kernel modules depend on each other in a cycle: " + String.join(" -> ", path) + " -> " + name);
    }
    for (String dep : depends(name)) {
      if (!byName.containsKey(dep)) {
        throw new GuestImageException("kernel module " + name + " depends on " + dep + ", which kernel " + release + " does not have");
      }
      visit(dep, done, path);
    }
    path.remove(name);
    done.add(name);
  }

  private List<String> depends(String name) throws GuestImageException {
    Path file = byName.get(name);
    try {
      String deps = ElfFile.read(file).modinfo().getOrDefault("depends", "");
      List<String> out = new ArrayList<>();
      for (String d : deps.split(",")) {
        if (!d.isBlank()) {
          out.add(canonical(d.trim()));
        }
      }
      return out;
    } catch (IOException e) {
      throw new GuestImageException("cannot read kernel module " + file + ": " + e.getMessage(), e);
    }
  }

  /** The kernel treats {@code -} and {@code _} in module names alike. */
  static String canonical(String name) {
    return name.replace('-', '_');
  }
}
