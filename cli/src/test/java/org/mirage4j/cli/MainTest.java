package org.mirage4j.cli;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  static final String GOOD =
      "unikernel greeter\n"
          + "\n"
          + "key greeting : string = \"hello\" \"what it says\"\n"
          + "\n"
          + "device store = kv_ro(\"data\")\n"
          + "device disk = block(\"disk.img\")\n"
          + "\n"
          + "job org.example.Greeter(default_console, store, disk, greeting)\n";

  static final String BROKEN =
      "unikernel broken\n"
          + "\n"
          + "device store = kv_ro(\"data\")\n"
          + "\n"
          + "job org.example.Greeter(default_consol, store)\n"
          + "device disk = block(store)\n";

  @TempDir Path dir;
  Path good;
  Path broken;
  Path out;

  record Run(int status, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(status, out.toString(), err.toString());
  }

  @BeforeEach
  void files() throws IOException {
    Path project = Files.createDirectories(dir.resolve("project"));
    Files.createDirectories(project.resolve("data"));
    Files.writeString(project.resolve("data/secret.txt"), "42\n");
    good = project.resolve("config.mirage");
    Files.writeString(good, GOOD);
    broken = dir.resolve("broken.mirage");
    Files.writeString(broken, BROKEN);
    out = dir.resolve("out");
  }

  private static List<String> tree(Path root) throws IOException {
    List<String> files = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().forEach(files::add);
      }
    }
    return files;
  }

  @Test
  void version() {
    Run r = run("--version");
    assertThat(r.status()).isEqualTo(0);
    assertThat(r.out()).startsWith("mirage 0.1.0-SNAPSHOT");
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : List.of("configure", "describe", "query", "format", "check")) {
      Run r = run(command, "--help");
      assertWithMessage(command).that(r.status()).isEqualTo(0);
      assertWithMessage(command).that(r.out()).contains("Usage: mirage " + command);
      assertWithMessage(command).that(r.err()).isEmpty();
    }
    Run r = run("--help");
    assertThat(r.status()).isEqualTo(0);
    assertThat(r.out()).contains("configure");
    assertThat(r.out()).contains("64");
  }

  @Test
  void usageErrorsExit64WithOneLine() {
    for (String[] args : List.of(
        new String[] {},
        new String[] {"frobnicate"},
        new String[] {"configure", "--net"},
        new String[] {"configure", "-x"},
        new String[] {"describe", "--net=direct", "--net=socket"},
        new String[] {"query", "everything"},
        new String[] {"configure", "-t"})) {
      Run r = run(args);
      assertWithMessage(String.join(" ", args)).that(r.status()).isEqualTo(64);
      assertWithMessage(String.join(" ", args)).that(r.errLines()).hasSize(1);
      assertWithMessage(String.join(" ", args)).that(r.err()).startsWith("mirage");
      assertWithMessage(String.join(" ", args)).that(r.out()).isEmpty();
    }
  }

  @Test
  void anUnknownCommandIsNamedAsOne() {
    Run r = run("confgure", "-t", "xen");
    assertThat(r.status()).isEqualTo(64);
    assertThat(r.err().strip()).isEqualTo(
        "mirage: unknown command 'confgure'; did you mean 'configure'? (commands: init, configure, image,"
            + " boot, describe, query, format, check, help) (see 'mirage --help')");
    r = run("frobnicate");
    assertThat(r.err()).startsWith("mirage: unknown command 'frobnicate' (commands: init, ");
  }

  @Test
  void configureWritesTheMavenLayoutAndSwitchesTarget() throws IOException {
    Run r = run("configure", "-f", good.toString(), "-o", out.toString());
    assertWithMessage(r.err()).that(r.status()).isEqualTo(0);
    assertThat(r.out()).contains("configured greeter for unix");
    assertThat(tree(out)).containsExactly(
        "generated-resources/mirage/META-INF/mirage/app-info.tsv",
        "generated-resources/mirage/META-INF/mirage/crunch/data/files/secret.txt",
        "generated-resources/mirage/META-INF/mirage/crunch/data/index.tsv",
        "generated-sources/mirage/org/mirage4j/generated/GreeterUnikernel.java",
        "mirage/generated-files.tsv",
        "mirage/unikernel.properties",
        "mirage/unix/greeter");

    r = run("configure", "-t", "xen", "-f", good.toString(), "-o", out.toString(), "--memory=512");
    assertWithMessage(r.err()).that(r.status()).isEqualTo(0);
    assertThat(tree(out.resolve("mirage"))).containsExactly(
        "generated-files.tsv", "unikernel.properties", "xen/greeter.guest", "xen/greeter.libvirt.xml",
        "xen/greeter.libvirt.xml.in",
        "xen/greeter.xl", "xen/greeter.xl.in");
    assertThat(Files.readString(out.resolve("mirage/xen/greeter.xl"))).contains("memory = 512");
    assertThat(Files.readString(out.resolve("mirage/generated-files.tsv"))).doesNotContain("unix/");
  }

  @Test
  void configureLeavesForeignFilesOfOtherTargetsAlone() throws IOException {
    Path mine = Files.createDirectories(out.resolve("mirage/unix")).resolve("notes.txt");
    Files.writeString(mine, "my own notes\n");
    Run r = run("configure", "-t", "xen", "-f", good.toString(), "-o", out.toString());
    assertWithMessage(r.err()).that(r.status()).isEqualTo(0);
    assertThat(Files.readString(mine)).isEqualTo("my own notes\n");
  }

  @Test
  void configurationErrorsExit1WithJavacLinesOnly() throws IOException {
    Run r = run("configure", "-f", broken.toString(), "-o", out.toString());
    assertThat(r.status()).isEqualTo(1);
    String f = broken.toString();
    assertThat(r.errLines()).containsExactly(
        f + ":5:25: error: unknown device, key or driver 'default_consol'; did you mean 'default_console'?",
        f + ":6:8: warning: device 'disk' is never used; remove it or pass it to a job",
        f + ":6:21: error: block expects a 'string' as argument 1 (file), but 'store' is a 'kv_ro'")
        .inOrder();
    assertThat(r.out()).isEmpty();
    assertThat(tree(out)).isEmpty();

    Run check = run("check", broken.toString(), good.toString());
    assertThat(check.status()).isEqualTo(1);
    assertThat(check.errLines()).isEqualTo(r.errLines());
  }

  @Test
  void commandLineMistakesAreUsageErrorsNotPositionsInTheFile() throws IOException {
    Run r = run("configure", "-f", good.toString(), "-o", out.toString(), "--nokey=1");
    assertThat(r.status()).isEqualTo(64);
    assertThat(r.errLines()).containsExactly(
        "mirage configure: unknown configure key 'nokey' (configure keys: net, kv_ro, dhcp, memory, vcpus,"
            + " gic_version) (see 'mirage configure --help')");
    r = run("configure", "-f", good.toString(), "-o", out.toString(), "-t", "unx");
    assertThat(r.status()).isEqualTo(64);
    assertThat(r.errLines()).containsExactly(
        "mirage configure: unknown target 'unx'; did you mean 'unix'? (targets: unix, xen, arm)"
            + " (see 'mirage configure --help')");
    r = run("describe", "-f", good.toString(), "--nett=direct");
    assertThat(r.status()).isEqualTo(64);
    assertThat(r.err()).startsWith("mirage describe: unknown configure key 'nett'; did you mean 'net'?");
    r = run("configure", "-f", good.toString(), "-o", out.toString(), "--greeting=hi");
    assertThat(r.status()).isEqualTo(64);
    assertThat(r.err()).startsWith("mirage configure: 'greeting' is a runtime key: give it to the generated program");
    r = run("query", "-f", good.toString(), "--arch=sparc", "packages");
    assertThat(r.status()).isEqualTo(64);
    assertThat(r.err()).startsWith("mirage query: target 'unix' has no architecture 'sparc'");
    assertThat(tree(out)).isEmpty();
  }

  @Test
  void aMissingFileIsAConfigurationError() {
    Run r = run("describe", "-f", dir.resolve("missing.mirage").toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly(
        dir.resolve("missing.mirage") + ":1:1: error: cannot read the configuration: no such file");
  }

  @Test
  void checkOfAGoodFileIsSilent() {
    Run r = run("check", good.toString());
    assertThat(r.status()).isEqualTo(0);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void aConfigureKeyInAGroupIsGivenByItsGroupedName() throws IOException {
    Path config = Files.createDirectories(dir.resolve("groups")).resolve("config.mirage");
    Files.writeString(config, "unikernel site\n\n"
        + "device data = kv_ro@data(\"htdocs\")\n"
        + "device certs = kv_ro@certs(\"tls\")\n\n"
        + "job org.example.Site(data, certs)\n");
    Run r = run("describe", "-f", config.toString(), "--certs-kv_ro=direct");
    assertWithMessage(r.err()).that(r.status()).isEqualTo(0);
    assertThat(r.out()).contains("    certs-kv_ro = direct (given)\n");
    assertThat(r.out()).contains("    data-kv_ro = crunch (default)\n");
    assertThat(r.out()).contains("  arg0: data : kv_ro = crunch [org.mirage4j.drivers.kv.CrunchKvRo]");
    assertThat(r.out()).contains("  arg1: certs : kv_ro = direct_kv_ro [org.mirage4j.drivers.kv.DirectoryKvRo]");
    r = run("describe", "-f", config.toString(), "--cert-kv_ro=direct");
    assertThat(r.status()).isEqualTo(64);
    assertThat(r.errLines()).containsExactly(
        "mirage describe: configure key 'cert-kv_ro' is not read on target 'unix': nothing in the configuration"
            + " reads kv_ro@cert; did you mean 'certs-kv_ro'? (grouped configure keys read: certs-kv_ro,"
            + " data-kv_ro) (see 'mirage describe --help')");
  }

  @Test
  void describeAsTextAndDot() {
    Run r = run("describe", "-t", "arm", "--arch=armv7", "-f", good.toString());
    assertWithMessage(r.err()).that(r.status()).isEqualTo(0);
    assertThat(r.out()).startsWith("unikernel greeter (target arm, arch armv7, ");
    assertThat(r.out()).contains("job Greeter = org.example.Greeter");
    assertThat(r.out()).contains(
        "  arg2: disk : block = xen_block [org.mirage4j.drivers.block.XenBlock]");
    assertThat(r.out()).contains("    file: disk.img\n");
    assertThat(r.out()).contains("  arg3: runtime key --greeting\n");
    assertThat(r.out()).contains("    --greeting : string = hello\n");
    assertThat(r.out()).contains("    needs disk disk.img\n");

    Run dot = run("describe", "--dot", "-f", good.toString());
    assertThat(dot.status()).isEqualTo(0);
    assertThat(dot.out()).startsWith("digraph \"greeter\" {\n");
    assertThat(dot.out()).contains("\"j:Greeter\" -> \"d:disk\" [label=\"arg2\"];");
    assertThat(dot.out()).contains("\"j:Greeter\" -> \"k:greeting\" [label=\"arg3\"];");
    assertThat(dot.out()).endsWith("}\n");
  }

  @Test
  void queryPackagesAndFiles() throws IOException {
    Run packages = run("query", "packages", "-t", "xen", "-f", good.toString());
    assertThat(packages.status()).isEqualTo(0);
    assertThat(packages.out().split("\n")).asList().containsExactly(
        "org.mirage4j:mirage4j-driver-block:0.1.0-SNAPSHOT",
        "org.mirage4j:mirage4j-driver-console:0.1.0-SNAPSHOT",
        "org.mirage4j:mirage4j-driver-kv:0.1.0-SNAPSHOT");

    Run files = run("query", "files", "-t", "xen", "-f", good.toString(), "-o", out.toString());
    assertThat(files.status()).isEqualTo(0);
    assertThat(tree(out)).isEmpty(); // nothing written
    run("configure", "-t", "xen", "-f", good.toString(), "-o", out.toString());
    List<String> written = new ArrayList<>();
    for (String f : tree(out)) {
      if (!f.equals("mirage/generated-files.tsv") && !f.equals("mirage/unikernel.properties")) {
        written.add(out.resolve(f).toString());
      }
    }
    assertThat(List.of(files.out().split("\n"))).containsExactlyElementsIn(written);
  }

  @Test
  void configureIsDeterministic() throws IOException {
    Path other = dir.resolve("other");
    assertThat(run("configure", "-f", good.toString(), "-o", out.toString()).status()).isEqualTo(0);
    assertThat(run("configure", "-f", good.toString(), "-o", other.toString()).status()).isEqualTo(0);
    for (String f : tree(out)) {
      assertWithMessage(f)
          .that(Files.readString(other.resolve(f), StandardCharsets.UTF_8))
          .isEqualTo(Files.readString(out.resolve(f), StandardCharsets.UTF_8));
    }
  }

  @Test
  void formatRewritesChecksAndRefusesBrokenFiles() throws IOException {
    Path messy = dir.resolve("messy.mirage");
    Files.writeString(messy, "unikernel   messy\njob    org.example.Greeter(default_console)\n");
    Run check = run("format", "--check", messy.toString());
    assertThat(check.status()).isEqualTo(1);
    assertThat(check.errLines()).containsExactly(messy + ": not formatted");
    assertThat(Files.readString(messy)).contains("unikernel   messy"); // untouched

    Run format = run("format", messy.toString());
    assertWithMessage(format.err()).that(format.status()).isEqualTo(0);
    assertThat(format.out()).isEqualTo(messy + "\n");
    String formatted = Files.readString(messy);
    assertThat(formatted).contains("unikernel messy\n");
    assertThat(run("check", messy.toString()).status()).isEqualTo(0);

    Run again = run("format", "--check", messy.toString());
    assertThat(again.status()).isEqualTo(0);
    assertThat(again.out()).isEmpty();
    assertThat(again.err()).isEmpty();
    assertThat(run("format", messy.toString()).out()).isEmpty();
    assertThat(Files.readString(messy)).isEqualTo(formatted);

    Path syntax = dir.resolve("syntax.mirage");
    Files.writeString(syntax, "unikernel x\ndevice = \n");
    Run bad = run("format", syntax.toString());
    assertThat(bad.status()).isEqualTo(1);
    assertThat(bad.errLines()).hasSize(1);
    assertThat(bad.err()).startsWith(syntax + ":2:");
    assertThat(bad.err()).contains(": error: ");
    assertThat(Files.readString(syntax)).isEqualTo("unikernel x\ndevice = \n");

    Run missing = run("format", dir.resolve("nope.mirage").toString());
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.errLines())
        .containsExactly(dir.resolve("nope.mirage") + ":1:1: error: cannot read the file: no such file");
  }
}
