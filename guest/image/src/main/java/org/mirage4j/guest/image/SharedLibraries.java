package org.mirage4j.guest.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.mirage4j.guest.elf.ElfFile;

/**
 * The C libraries a set of executables and libraries need, as {@code ldd} would find them but
 * for any architecture: the closure of their {@code DT_NEEDED} entries, looked up in the library
 * directories of extracted Debian packages and added to an image under {@code /lib/<triplet>/},
 * with the dynamic loader where the executables look for it.
 */
public final class SharedLibraries {

  /**
   * What was added.
   *
   * @param added the library names added to the image
   * @param missing the names asked for that none of the directories has
   */
  public record Closure(List<String> added, Set<String> missing) {}

  private SharedLibraries() {}

  /** The library directories of an extracted package ({@code lib/<triplet>}, {@code usr/lib/<triplet>}). */
  public static List<Path> searchDirs(Path packageRoot, GuestArch arch) {
    return List.of(packageRoot.resolve("lib").resolve(arch.triplet()), packageRoot.resolve("usr/lib").resolve(arch.triplet()));
  }

  /** Every ELF file below {@code dir}, in path order. */
  public static List<Path> elfFiles(Path dir) throws GuestImageException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().filter(ElfFile::isElf).toList();
    } catch (IOException e) {
      throw new GuestImageException("cannot read " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Adds what {@code elves} need.
   *
   * @param provided library names the image has already (the JRE's own, found by {@code $ORIGIN})
   * @param extra libraries to add although no ELF file names them (loaded with {@code dlopen})
   */
  public static Closure add(ImageTree tree, GuestArch arch, List<Path> elves, Collection<String> provided,
      List<String> extra, List<Path> searchDirs) throws GuestImageException {
    Set<String> added = new TreeSet<>();
    Set<String> missing = new TreeSet<>();
    Deque<String> wanted = new ArrayDeque<>(extra);
    String loaderName = Path.of(arch.loader()).getFileName().toString();
    wanted.add(loaderName);
    try {
      for (Path elf : elves) {
        wanted.addAll(ElfFile.read(elf).needed());
      }
      while (!wanted.isEmpty()) {
        String lib = wanted.poll();
        if (provided.contains(lib) || added.contains(lib) || missing.contains(lib)) {
          continue;
        }
        Optional<Path> found = searchDirs.stream().map(d -> d.resolve(lib)).filter(Files::exists).findFirst();
        if (found.isEmpty()) {
          missing.add(lib);
          continue;
        }
        Path real = found.get().toRealPath();
        tree.file("lib/" + arch.triplet() + "/" + lib, real, 0755);
        added.add(lib);
        wanted.addAll(ElfFile.read(real).needed());
      }
    } catch (IOException e) {
      throw new GuestImageException("cannot read the libraries the image needs: " + e.getMessage(), e);
    }
    // the executables' interpreter path
    String loaderAt = arch.loader().substring(1);
    String loaderTarget = "/lib/" + arch.triplet() + "/" + loaderName;
    if (added.contains(loaderName) && !("/" + loaderAt).equals(loaderTarget)) {
      tree.link(loaderAt, loaderTarget);
    }
    return new Closure(List.copyOf(added), missing);
  }

  /** The names of the ELF files (libraries an image brings itself). */
  public static Set<String> names(List<Path> files) {
    Set<String> out = new TreeSet<>();
    for (Path p : files) {
      out.add(p.getFileName().toString());
    }
    return out;
  }
}
