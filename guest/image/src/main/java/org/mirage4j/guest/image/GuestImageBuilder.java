package org.mirage4j.guest.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.mirage4j.guest.debian.AptArchive;
import org.mirage4j.guest.debian.DebianParts;
import org.mirage4j.guest.debian.PartsLock;

/**
 * The guest image builder: from a unikernel's runnable jar, the bootable pair a Xen guest (or
 * QEMU) starts, {@code <name>.vmlinuz} and {@code <name>.initrd}, built from Debian's packages.
 *
 * <p>The kernel is Debian's for the architecture ({@link GuestArch}; an arm64 Image is gzipped,
 * which QEMU and Xen's {@code xl} both unpack). The initramfs holds busybox, the C libraries the
 * JRE needs (found by reading the ELF files, as {@code ldd} would), a JRE linked by {@code jlink}
 * from the architecture's jmods with the modules the jar needs, the jar, the Xen and virtio NIC and
 * disk drivers in load order, and an {@code /init} that runs the unikernel (see {@code init.sh}).
 * Every part is pinned by SHA-256 in the project's lock file, and the archive is written in a fixed
 * order with fixed owners and dates, so the same inputs give the same bytes. A build whose inputs
 * have not changed since the last one writes nothing ("up to date").
 */
public final class GuestImageBuilder {

  /** Changes whenever the image's layout or content rules change (part of the up-to-date check). */
  static final String LAYOUT_VERSION = "1";

  /** The JVM's options in the guest: quick start under emulation, a small footprint. */
  static final String JAVA_OPTIONS =
      "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -Djava.io.tmpdir=/tmp";

  private static final String JDK = "openjdk-17-jdk-headless";
  private static final String JRE = "openjdk-17-jre-headless";
  private static final List<String> LIBRARY_PACKAGES = List.of("libc6", "libstdc++6", "libgcc-s1", "zlib1g");
  /** Loaded by glibc at run time (name service), so no ELF file names them. */
  private static final List<String> DLOPENED = List.of("libnss_files.so.2", "libnss_dns.so.2", "libresolv.so.2");
  private static final List<String> APPLETS = List.of(
      "sh", "ash", "cat", "dmesg", "echo", "grep", "halt", "insmod", "ip", "kill", "ln", "ls", "lsmod",
      "mkdir", "mount", "poweroff", "ps", "reboot", "sleep", "sync", "umount", "uname");

  private final Consumer<String> log;

  /** A builder that reports progress to {@code log}. */
  public GuestImageBuilder(Consumer<String> log) {
    this.log = log;
  }

  /**
   * Builds (or finds up to date) the image of {@code request}.
   *
   * @throws GuestImageException with a message for the user when a part is missing or refused, a
   *     tool fails, or the jar cannot be read
   */
  public GuestImage build(GuestImageRequest request) throws GuestImageException {
    if (!Files.isRegularFile(request.jar())) {
      throw new GuestImageException("the unikernel's jar " + request.jar() + " does not exist; build it first (mvn package)");
    }
    GuestArch host = GuestArch.host().filter(h -> h != GuestArch.ARMV7).orElseThrow(() -> new GuestImageException(
        "guest images are built on Linux x86_64 or aarch64 hosts, not " + System.getProperty("os.arch")));
    PartsLock lock;
    try {
      lock = PartsLock.load(request.parts().lockFile());
    } catch (IOException e) {
      throw new GuestImageException("cannot read the lock file: " + e.getMessage(), e);
    }
    PartSources sources = request.parts();
    DebianParts parts = new DebianParts(sources.cacheDir(), lock, sources.partDirs(),
        AptArchive.onThisHost(sources.cacheDir().resolve("apt"), AptArchive.DEFAULT_SUITE), sources.pinning(), log);
    GuestArch arch = request.arch();
    String debArch = arch.debianArch();

    // every part first, so that the lock is complete and the stamp covers them all
    String kernelPackage = parts.resolveMeta(arch.kernelPackage(), debArch);
    List<DebianParts.Part> guestParts = new ArrayList<>();
    guestParts.add(new DebianParts.Part(kernelPackage, debArch));
    guestParts.add(new DebianParts.Part("busybox-static", debArch));
    for (String lib : LIBRARY_PACKAGES) {
      guestParts.add(new DebianParts.Part(lib, debArch));
    }
    guestParts.add(new DebianParts.Part(JDK, debArch));
    List<DebianParts.Part> linkerParts =
        List.of(new DebianParts.Part(JRE, host.debianArch()), new DebianParts.Part(JDK, host.debianArch()));
    Map<String, String> shas = new LinkedHashMap<>();
    for (DebianParts.Part p : concat(guestParts, linkerParts)) {
      shas.put(p.name() + " " + p.arch(), parts.deb(p.name(), p.arch()).getFileName().toString().replace(".deb", ""));
    }
    saveLock(lock);

    String jarSha = DebianParts.sha256(request.jar());
    String stamp = sha256Hex(LAYOUT_VERSION + "\n" + JAVA_OPTIONS + "\n" + request.name() + "\n" + arch + "\n" + jarSha
        + "\n" + shas + "\n" + request.networks() + "\n" + request.disks());
    Path manifest = request.outputDir().resolve(request.name() + ".image.txt");
    Optional<GuestImage> current = GuestImage.read(manifest, request);
    if (current.isPresent() && current.get().stamp().equals(stamp)) {
      log.accept("guest image " + request.kernelFile().getFileName() + " + " + request.initrdFile().getFileName() + " is up to date");
      return current.get();
    }

    long start = System.nanoTime();
    Path kernelTree = parts.extracted(kernelPackage, debArch);
    KernelModules modules = KernelModules.of(kernelTree);
    Path linkerJdk = jdkHome(parts.extracted(linkerParts), host);
    Path targetJdk = jdkHome(parts.extracted(JDK, debArch), arch);
    List<String> linkLog = new ArrayList<>();
    JreLinker linker = new JreLinker(linkerJdk, linkLog);
    List<String> jreModules = linker.modules(request.jar());
    Path jre = cachedJre(sources.cacheDir(), linker, targetJdk.resolve("jmods"), jreModules,
        shas.get(JDK + " " + debArch) + shas.get(JRE + " " + host.debianArch()) + shas.get(JDK + " " + host.debianArch()));

    ImageTree tree = new ImageTree();
    for (String d : List.of("dev", "proc", "sys", "run", "root", "tmp", "etc")) {
      tree.dir(d, d.equals("tmp") ? 01777 : 0755);
    }
    tree.text("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644);
    tree.text("etc/group", "root:x:0:\n", 0644);
    tree.text("etc/hosts", "127.0.0.1 localhost\n::1 localhost\n", 0644);
    tree.text("etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n", 0644);
    Path busybox = parts.extracted("busybox-static", debArch).resolve("bin/busybox");
    tree.file("bin/busybox", busybox, 0755);
    for (String applet : APPLETS) {
      tree.link("bin/" + applet, "busybox");
    }
    for (String applet : List.of("poweroff", "halt", "reboot")) {
      tree.link("sbin/" + applet, "../bin/busybox");
    }
    try {
      tree.tree("jre", jre);
    } catch (IOException e) {
      throw new GuestImageException("cannot read the linked JRE " + jre + ": " + e.getMessage(), e);
    }
    List<String> libraries = addLibraries(tree, parts, arch, jre);
    List<KernelModules.Module> order = modules.loadOrder(arch.modules());
    StringBuilder orderText = new StringBuilder();
    for (KernelModules.Module m : order) {
      tree.file("lib/modules/" + m.name() + ".ko", modules.file(m), 0644);
      orderText.append(m.name()).append('\n');
    }
    tree.text("lib/modules/order", orderText.toString(), 0644);
    String jarName = request.name() + ".jar";
    tree.file("app/" + jarName, request.jar(), 0644);
    tree.text("init", initScript(request, jarName), 0755);

    Path kernelSource = kernelTree.resolve("boot/vmlinuz-" + modules.release());
    if (!Files.isRegularFile(kernelSource)) {
      throw new GuestImageException("the kernel package " + kernelPackage + " has no boot/vmlinuz-" + modules.release());
    }
    try {
      Files.createDirectories(request.outputDir());
      Path tmpInitrd = request.outputDir().resolve(request.initrdFile().getFileName() + ".tmp");
      InitramfsWriter.write(tree, tmpInitrd, InitramfsWriter.Compression.GZIP);
      Path tmpKernel = request.outputDir().resolve(request.kernelFile().getFileName() + ".tmp");
      writeKernel(kernelSource, tmpKernel, arch);
      Files.move(tmpKernel, request.kernelFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.move(tmpInitrd, request.initrdFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      GuestImage image = new GuestImage(request.kernelFile(), request.initrdFile(), Files.size(request.kernelFile()),
          Files.size(request.initrdFile()), tree.contentSize(), modules.release(), order.stream().map(KernelModules.Module::name).toList(),
          jreModules, libraries, stamp);
      image.write(manifest, request);
      log.accept(String.format("guest image %s (%s): kernel %.1f MB + initramfs %.1f MB (%.1f MB unpacked), JRE %s, built in %.1f s",
          request.name(), arch.archName(), image.kernelSize() / 1e6, image.initrdSize() / 1e6, image.unpackedSize() / 1e6,
          String.join(",", jreModules), (System.nanoTime() - start) / 1e9));
      return image;
    } catch (IOException e) {
      throw new GuestImageException("cannot write the guest image to " + request.outputDir() + ": " + e.getMessage(), e);
    }
  }

  private void saveLock(PartsLock lock) throws GuestImageException {
    try {
      if (lock.save()) {
        log.accept("pinned the guest parts in " + lock.file().map(Path::toString).orElse("the lock"));
      }
    } catch (IOException e) {
      throw new GuestImageException("cannot write the lock file: " + e.getMessage(), e);
    }
  }

  /** The init script with this guest's names filled in. */
  static String initScript(GuestImageRequest request, String jarName) throws GuestImageException {
    try (InputStream in = GuestImageBuilder.class.getResourceAsStream("init.sh")) {
      if (in == null) {
        throw new GuestImageException("the guest image builder's init.sh is missing from its jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.replace("@NAME@", request.name())
          .replace("@JAR@", jarName)
          .replace("@JAVA_OPTIONS@", JAVA_OPTIONS)
          .replace("@NETWORKS@", String.join(" ", request.networks()))
          .replace("@DISKS@", String.join(" ", request.disks()));
    } catch (IOException e) {
      throw new GuestImageException("cannot read init.sh: " + e.getMessage(), e);
    }
  }

  /** Debian's kernel as the guest boots it: an arm64 Image is gzipped (QEMU and xl unpack it). */
  private static void writeKernel(Path source, Path target, GuestArch arch) throws IOException {
    if (arch == GuestArch.AARCH64) {
      try (InputStream in = Files.newInputStream(source);
          OutputStream out = InitramfsWriter.compress(Files.newOutputStream(target), InitramfsWriter.Compression.GZIP)) {
        in.transferTo(out);
      }
    } else {
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * The C libraries the JRE needs, from the architecture's glibc, libstdc++, libgcc and zlib
   * packages: the closure of every ELF file's {@code DT_NEEDED} (libraries of the JRE itself are
   * found by their {@code $ORIGIN} paths), plus the name-service modules glibc loads by name, and
   * the dynamic loader where executables look for it.
   *
   * @return the library names added
   */
  private List<String> addLibraries(ImageTree tree, DebianParts parts, GuestArch arch, Path jre) throws GuestImageException {
    List<Path> searchDirs = new ArrayList<>();
    for (String pkg : LIBRARY_PACKAGES) {
      searchDirs.addAll(SharedLibraries.searchDirs(parts.extracted(pkg, arch.debianArch()), arch));
    }
    List<Path> elves = SharedLibraries.elfFiles(jre);
    SharedLibraries.Closure closure =
        SharedLibraries.add(tree, arch, elves, SharedLibraries.names(elves), DLOPENED, searchDirs);
    String loaderName = Path.of(arch.loader()).getFileName().toString();
    for (String essential : List.of("libc.so.6", "libm.so.6", "libz.so.1", loaderName)) {
      if (!closure.added().contains(essential)) {
        throw new GuestImageException("the " + arch.debianArch() + " C libraries have no " + essential);
      }
    }
    if (!closure.missing().isEmpty()) {
      log.accept("guest image: libraries not in the image (only optional parts of the JRE ask for them): "
          + String.join(", ", closure.missing()));
    }
    return closure.added();
  }

  /** The JDK home inside an extracted Debian tree ({@code usr/lib/jvm/java-17-openjdk-<arch>}). */
  private static Path jdkHome(Path root, GuestArch arch) throws GuestImageException {
    Path home = root.resolve("usr/lib/jvm/java-17-openjdk-" + arch.debianArch());
    if (!Files.isDirectory(home)) {
      throw new GuestImageException("the JDK package has no " + home);
    }
    return home;
  }

  /** The linked JRE from the cache, linking it the first time. */
  private Path cachedJre(Path cache, JreLinker linker, Path jmods, List<String> modules, String partsKey)
      throws GuestImageException {
    String key = sha256Hex(LAYOUT_VERSION + partsKey + modules).substring(0, 32);
    Path dir = cache.resolve("jre").resolve(key);
    if (Files.isRegularFile(dir.resolve("release"))) {
      return dir;
    }
    Path tmp = cache.resolve("tmp").resolve("jre-" + key + "-" + ProcessHandle.current().pid());
    DebianParts.deleteTree(tmp);
    try {
      Files.createDirectories(tmp.getParent());
      log.accept("linking the guest's JRE (" + String.join(",", modules) + ") with jlink");
      long t = System.nanoTime();
      linker.link(jmods, modules, tmp);
      log.accept(String.format("jlink took %.1f s", (System.nanoTime() - t) / 1e9));
      Files.createDirectories(dir.getParent());
      try {
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        DebianParts.deleteTree(tmp);
      }
      return dir;
    } catch (IOException e) {
      DebianParts.deleteTree(tmp);
      throw new GuestImageException("cannot store the linked JRE in " + dir + ": " + e.getMessage(), e);
    }
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
