package org.mirage4j.generator;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mirage4j.model.UnikernelModel;

/**
 * The generated code and artifacts of every representative model for every target, compared with
 * the files checked in under {@code src/test/resources/golden/<case>/<target>/} ({@code java/},
 * {@code resources/}, {@code mirage/}).
 *
 * <p>After an intended change of the output, re-record them with
 *
 * <pre>
 * ./mvnw -pl generator test -Dtest=GoldenTest -Dmirage.golden.record=true
 * </pre>
 *
 * and review the difference with {@code git diff}. Every case is also generated twice (byte-identical
 * output), compiled with {@code -Xlint:all -Werror} against runtime-api, and its {@code .xl} files
 * are read by Xen's own parser ({@code xl-check}) when this machine has it.
 */
class GoldenTest {

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (String c : TestModels.CASES.keySet()) {
      for (String target : TestModels.TARGETS) {
        all.add(Arguments.of(c, target));
      }
    }
    return all.stream();
  }

  static boolean recording() {
    return Boolean.parseBoolean(System.getProperty("mirage.golden.record", "false"));
  }

  static Path goldenRoot() {
    String dir = System.getProperty("mirage.golden.dir", "");
    return dir.isEmpty() || dir.startsWith("$")
        ? Path.of("src/test/resources/golden").toAbsolutePath()
        : Path.of(dir);
  }

  static GeneratorRequest request(String caseName, String target, Path buildDir) {
    UnikernelModel model = TestModels.CASES.get(caseName).apply(target);
    return GeneratorRequest.of(model, Support.projectDir(caseName), buildDir).withVersion("1.0.0");
  }

  @ParameterizedTest(name = "{0} for {1}")
  @MethodSource("cases")
  void matchesTheGoldenFiles(String caseName, String target, @TempDir Path tmp) throws Exception {
    GeneratorRequest request = request(caseName, target, tmp.resolve("a"));
    GenerationResult result = MirageGenerator.generate(request);
    assertThat(result.diagnostics()).isEmpty();
    Map<String, byte[]> actual = Support.outputs(request);

    Path golden = goldenRoot().resolve(caseName).resolve(target);
    if (recording()) {
      record(golden, actual);
    }
    Map<String, byte[]> expected = Support.files(golden);
    assertWithMessage("files generated for %s/%s", caseName, target)
        .that(actual.keySet()).containsExactlyElementsIn(expected.keySet());
    for (Map.Entry<String, byte[]> e : actual.entrySet()) {
      assertWithMessage("%s/%s: %s (re-record with -Dmirage.golden.record=true)", caseName, target, e.getKey())
          .that(Support.text(e.getValue())).isEqualTo(Support.text(expected.get(e.getKey())));
    }
    assertThat(result.written()).hasSize(actual.size());
  }

  private static void record(Path golden, Map<String, byte[]> actual) throws IOException {
    if (Files.exists(golden)) {
      try (Stream<Path> s = Files.walk(golden)) {
        for (Path p : (Iterable<Path>) s.sorted((a, b) -> b.compareTo(a))::iterator) {
          Files.delete(p);
        }
      }
    }
    for (Map.Entry<String, byte[]> e : actual.entrySet()) {
      Path p = golden.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
    System.out.println("recorded " + golden);
  }

  @ParameterizedTest(name = "{0} for {1}")
  @MethodSource("cases")
  void isDeterministicAndIdempotent(String caseName, String target, @TempDir Path tmp) {
    GeneratorRequest a = request(caseName, target, tmp.resolve("a"));
    GeneratorRequest b = request(caseName, target, tmp.resolve("b"));
    MirageGenerator.generate(a);
    MirageGenerator.generate(b);
    Map<String, byte[]> first = Support.outputs(a);
    Map<String, byte[]> second = Support.outputs(b);
    assertThat(second.keySet()).isEqualTo(first.keySet());
    first.forEach((k, v) -> assertWithMessage(k).that(second.get(k)).isEqualTo(v));

    // a second run over the same directories changes and deletes nothing
    GenerationResult again = MirageGenerator.generate(a);
    assertThat(again.diagnostics()).isEmpty();
    assertThat(again.deleted()).isEmpty();
    Map<String, byte[]> third = Support.outputs(a);
    first.forEach((k, v) -> assertWithMessage(k).that(third.get(k)).isEqualTo(v));
  }

  @ParameterizedTest(name = "{0} for {1}")
  @MethodSource("cases")
  void wiringCompilesWithEveryLintAsError(String caseName, String target) {
    Path golden = goldenRoot().resolve(caseName).resolve(target).resolve("java");
    List<JavaFileObject> sources = new ArrayList<>();
    Support.files(golden).forEach((path, bytes) -> sources.add(JavaFileObjects.forSourceString(
        path.replace(".java", "").replace('/', '.'), Support.text(bytes))));
    assertThat(sources).hasSize(1);
    UnikernelModel model = TestModels.CASES.get(caseName).apply(target);
    Compile.strictly(Compile.concat(sources, new Stubs().add(model).sources()));
  }

  @ParameterizedTest(name = "{0} for {1}")
  @MethodSource("cases")
  void xlFilesAreAcceptedByXen(String caseName, String target, @TempDir Path tmp) throws Exception {
    GeneratorRequest request = request(caseName, target, tmp);
    MirageGenerator.generate(request);
    List<Path> xl = new ArrayList<>();
    try (Stream<Path> s = Files.list(request.artifactsDir())) {
      s.filter(p -> p.toString().endsWith(".xl")).sorted().forEach(xl::add);
    }
    if (target.equals("unix")) {
      assertThat(xl).isEmpty();
      Path launcher = request.artifactsDir().resolve(request.model().name());
      assertThat(Files.getPosixFilePermissions(launcher)).contains(PosixFilePermission.OWNER_EXECUTE);
      Support.Run sh = Support.run(List.of("sh", "-n", launcher.toString()), Map.of());
      assertWithMessage("sh -n: %s", sh.err()).that(sh.status()).isEqualTo(0);
      return;
    }
    assertThat(xl).hasSize(1);
    // the libvirt domain beside it is well-formed XML describing the same guest
    Path domain = request.artifactsDir().resolve(request.model().name() + ".libvirt.xml");
    org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance()
        .newDocumentBuilder().parse(domain.toFile());
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("domain");
    assertThat(doc.getElementsByTagName("name").item(0).getTextContent())
        .isEqualTo(request.model().name());
    assertThat(doc.getElementsByTagName("disk").getLength()).isEqualTo(
        (int) request.model().devices().stream().flatMap(d -> d.resources().stream())
            .filter(r -> r instanceof org.mirage4j.model.HostResource.Disk).distinct().count());
    String kernel = doc.getElementsByTagName("kernel").item(0).getTextContent();
    assertThat(kernel).isEqualTo(request.artifactsDir().toAbsolutePath().normalize()
        .resolve(request.model().name() + ".vmlinuz").toString());
    // libvirt's own schema accepts it (virt-xml-validate, from Debian's libvirt-clients, which runs
    // xmllint from libxml2-utils: libvirt-clients does not depend on it)
    if (Support.hostHas("virt-xml-validate", "libvirt-clients") && Support.hostHas("xmllint", "libxml2-utils")) {
      Support.Run v = Support.run(List.of("virt-xml-validate", domain.toString(), "domain"), Map.of());
      assertWithMessage("virt-xml-validate %s:\n%s%s\n%s", domain, v.out(), v.err(), Files.readString(domain))
          .that(v.status()).isEqualTo(0);
    } else {
      System.out.println("SKIPPED virt-xml-validate of " + domain + ": not installed (Debian: libvirt-clients,"
          + " libxml2-utils; .ci/run installs them)");
    }
    Path tool = Support.xlCheck();
    if (tool == null) {
      System.out.println("SKIPPED xl-check of " + xl + ": the tool is not on this machine"
          + " (expected at ../shared/tools/xl-check from the repository root)");
      return;
    }
    for (Path f : xl) {
      Support.Run run = Support.run(List.of(tool.toString(), f.toString()), Map.of());
      if (run.status() == 3) {
        System.out.println("SKIPPED xl-check of " + f + ": the tool cannot build here: " + run.err());
        continue;
      }
      assertWithMessage("xl-check %s:\n%s%s\n%s", f, run.out(), run.err(), Files.readString(f))
          .that(run.status()).isEqualTo(0);
      String name = request.model().name();
      assertThat(run.out()).contains("name=" + name + "\n");
      long disks = request.model().devices().stream()
          .flatMap(d -> d.resources().stream())
          .filter(r -> r instanceof org.mirage4j.model.HostResource.Disk).count();
      for (int i = 0; i < disks; i++) {
        assertThat(run.out()).contains("disk[" + i + "] ");
      }
      assertThat(run.out()).doesNotContain("disk[" + disks + "]");
      if (target.equals("xen")) {
        assertThat(run.out()).contains("type=pvh\n");
      }
    }
  }
}
