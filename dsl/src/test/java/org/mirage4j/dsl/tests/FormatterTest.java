package org.mirage4j.dsl.tests;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mirage4j.dsl.StdLib;
import org.mirage4j.dsl.formatting2.MirageFormatting;

/** The canonical layout: the good inputs and std.mirage are in it, a messy file gets it, twice is once. */
class FormatterTest {

  private static List<Path> goodFiles() throws IOException {
    try (Stream<Path> files = Files.list(Fixtures.file("good"))) {
      return files.filter(p -> p.toString().endsWith(".mirage")).sorted().toList();
    }
  }

  @Test
  void goodInputsAreInTheCanonicalLayout() throws IOException {
    for (Path p : goodFiles()) {
      String text = Files.readString(p);
      assertThat(MirageFormatting.format(text, p.getFileName().toString())).isEqualTo(text);
    }
  }

  @Test
  void theStandardLibraryIsInTheCanonicalLayout() throws IOException {
    String std;
    try (InputStream in = StdLib.class.getClassLoader().getResourceAsStream(StdLib.RESOURCE)) {
      std = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(MirageFormatting.format(std, "std.mirage")).isEqualTo(std);
  }

  @Test
  void aBadlyLaidOutFileGetsTheCanonicalLayout() throws IOException {
    String messy = Files.readString(Fixtures.file("bad/layout.mirage"));
    String formatted = MirageFormatting.format(messy, "layout.mirage");
    assertThat(formatted)
        .isEqualTo(
            "import \"../good/drivers.mirage\"\n"
                + "\n"
                + "unikernel ugly targets unix, xen\n"
                + "\n"
                + "key port : port = 8080 \"the port\"\n"
                + "key mode : choice(a, b) = a configure\n"
                + "\n"
                + "device nic = match target {\n"
                + "\tunix -> tap(\"tap0\")\n"
                + "\txen -> netfront(\"x\")\n"
                + "\tdefault -> netfront(\"y\")\n"
                + "}\n"
                + "\n"
                + "driver d(x: string, y: int = 3) : console = a.b.C::make\n"
                + "\ton unix, xen needs vif(x) from \"g:a\"\n"
                + "\n"
                + "job a.b.App(nic, port, [1, 2]) as app\n");
    assertThat(MirageFormatting.format(formatted, "layout.mirage")).isEqualTo(formatted);
  }

  @Test
  void lineBreaksInArgumentListsAndBeforeDocStringsAreKept() {
    String text =
        "key net : choice(socket, direct) = socket configure\n"
            + "   \"which stack\"\n"
            + "device s : stack = direct_stack(  \n"
            + "ipv4_of(default_network),\n"
            + "      icmp(ipv4_of(default_network)),udp(ipv4_of(default_network), default_random),\n"
            + "  tcp(ipv4_of(default_network), default_mclock, default_random))\n";
    String formatted = MirageFormatting.format(text, "wrap.mirage");
    assertThat(formatted)
        .isEqualTo(
            "key net : choice(socket, direct) = socket configure\n"
                + "\t\"which stack\"\n"
                + "\n"
                + "device s : stack = direct_stack(\n"
                + "\tipv4_of(default_network),\n"
                + "\ticmp(ipv4_of(default_network)), udp(ipv4_of(default_network), default_random),\n"
                + "\ttcp(ipv4_of(default_network), default_mclock, default_random))\n");
    assertThat(MirageFormatting.format(formatted, "wrap.mirage")).isEqualTo(formatted);
  }

  @Test
  void commentsAreKept() {
    String text = "// head\n\n// the port\nkey port : port = 80 // trailing\n\n\n\n// the end\n";
    String formatted = MirageFormatting.format(text, "c.mirage");
    assertThat(formatted).contains("// head");
    assertThat(formatted).contains("// the port");
    assertThat(formatted).contains("// trailing");
    assertThat(formatted).contains("// the end");
    assertThat(MirageFormatting.format(formatted, "c.mirage")).isEqualTo(formatted);
  }

  @Test
  void aFileThatDoesNotParseIsRefusedWithThePosition() {
    MirageFormatting.SyntaxError e =
        assertThrows(
            MirageFormatting.SyntaxError.class,
            () -> MirageFormatting.format("unikernel app\n\ndevice x = = 3\n", "broken.mirage"));
    assertThat(e).hasMessageThat().startsWith("broken.mirage:3:12: error: ");
  }
}
