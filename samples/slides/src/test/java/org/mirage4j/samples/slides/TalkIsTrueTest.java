package org.mirage4j.samples.slides;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.tooling.Configurator;
import org.mirage4j.model.Diagnostic;

/**
 * What the talk says about the code is true of the code, so the deck cannot drift from it: every
 * block the deck marks {@code data-check} is compared with the file it quotes, every class it names
 * is on the unikernel's class path, and each device graph it shows was drawn from this config.
 *
 * <ul>
 *   <li>{@code data-check="config"}: the block is {@code config.mirage} without its comments;
 *   <li>{@code data-check="source" data-file=F}: each line is a line of the sample's file F, in order;
 *   <li>{@code data-check="generated" data-target=T [data-arch=A] data-file=F}: the generator's F
 *       for target T (as {@code mirage:generate} writes it below {@code target/}) holds the block, a
 *       line {@code ...} standing for lines left out;
 *   <li>{@code <code data-check="class">}: the class exists.
 * </ul>
 */
class TalkIsTrueTest {

  private static Path sample;
  private static Path deck;
  private static Document talk;
  private static final Map<String, Path> GENERATED = new HashMap<>();

  @TempDir static Path out;

  @BeforeAll
  static void readTheDeck() throws IOException {
    sample = Path.of(System.getProperty("mirage.sampleDir", ".")).toAbsolutePath().normalize();
    deck = sample.resolve("target/deck");
    assertWithMessage("the build assembles the deck (npm run build) before the tests").that(
        Files.isRegularFile(deck.resolve("index.html"))).isTrue();
    talk = Jsoup.parse(deck.resolve("index.html").toFile(), "UTF-8");
  }

  @Test
  void theDeckIsTheTalkInDeckDirectoryWithRevealJs() throws IOException {
    // the assembled deck is the sources, unchanged, plus reveal.js and the graphs
    try (Stream<Path> walk = Files.walk(sample.resolve("deck"))) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        Path assembled = deck.resolve(sample.resolve("deck").relativize(f).toString());
        assertWithMessage("%s in target/deck", f.getFileName()).that(Files.readAllBytes(assembled))
            .isEqualTo(Files.readAllBytes(f));
      }
    }
    // everything the page loads is in the deck: it works offline, from the unikernel alone
    List<String> loads = new ArrayList<>();
    talk.select("script[src], link[href], img[src]").forEach(e -> loads.add(e.hasAttr("src") ? e.attr("src") : e.attr("href")));
    assertThat(loads).contains("reveal.js/reveal.js");
    assertThat(loads).contains("reveal.js/plugin/notes.js");
    for (String l : loads) {
      assertWithMessage("the deck loads %s from elsewhere", l).that(l).doesNotContainMatch("^[a-z]+:|^//");
      assertWithMessage("the deck loads %s, which is not in target/deck", l).that(Files.isRegularFile(deck.resolve(l))).isTrue();
    }
    String version = new com.google.gson.Gson().fromJson(
        Files.readString(sample.resolve("package.json")), com.google.gson.JsonObject.class)
        .getAsJsonObject("dependencies").get("reveal.js").getAsString();
    assertWithMessage("package.json names an exact version").that(version).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(Files.readString(deck.resolve("reveal.js/reveal.js"))).contains(version);
    assertThat(Files.isRegularFile(deck.resolve("reveal.js/LICENSE"))).isTrue();
  }

  @Test
  void everySlideHasSpeakerNotes() {
    List<Element> slides = talk.select("section").stream().filter(s -> s.select("section").size() == 1).toList();
    assertThat(slides.size()).isAtLeast(10);
    for (Element s : slides) {
      assertWithMessage("speaker notes of slide %s", s.select("h1, h2").text())
          .that(s.select("> aside.notes").text()).isNotEmpty();
    }
  }

  @Test
  void theConfigOnTheSlideIsTheSamplesConfig() throws IOException {
    Element block = only("config");
    List<String> lines = new ArrayList<>(Files.readAllLines(sample.resolve("config.mirage")));
    lines.removeIf(l -> l.startsWith("//"));
    assertThat(block.text().strip()).isEqualTo(String.join("\n", lines).strip());
  }

  @Test
  void quotedSourcesAreInTheSources() throws IOException {
    List<Element> blocks = talk.select("pre[data-check=source]");
    assertThat(blocks).isNotEmpty();
    for (Element block : blocks) {
      Path file = sample.resolve(block.attr("data-file"));
      assertContains(file, Files.readString(file), text(block), false);
    }
  }

  @Test
  void generatedExcerptsAreWhatTheGeneratorWrites() throws IOException {
    List<Element> blocks = talk.select("pre[data-check=generated]");
    assertThat(blocks.size()).isAtLeast(4);
    for (Element block : blocks) {
      Path build = generated(block.attr("data-target"), block.attr("data-arch"));
      Path file = build.resolve(block.attr("data-file"));
      assertWithMessage("the generator writes %s for %s", block.attr("data-file"), block.attr("data-target"))
          .that(Files.isRegularFile(file)).isTrue();
      assertContains(file, Files.readString(file), text(block), true);
    }
  }

  @Test
  void theClassesTheSlidesNameExist() {
    List<Element> names = talk.select("code[data-check=class]");
    assertThat(names.size()).isAtLeast(8);
    for (Element name : names) {
      try {
        Class.forName(name.text().strip(), false, getClass().getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError("the deck names class " + name.text() + ", which does not exist", e);
      }
    }
  }

  @Test
  void theGraphsAreDrawnFromThisConfigAtBuildTime() throws IOException {
    for (String target : List.of("unix", "xen")) {
      String src = "graph/slides-" + target + ".svg";
      assertWithMessage("the deck shows %s", src).that(talk.select("img[src=" + src + "]")).isNotEmpty();
      String svg = Files.readString(deck.resolve(src), StandardCharsets.UTF_8);
      String dot = Files.readString(sample.resolve("target/deck-graph/slides-" + target + ".dot"), StandardCharsets.UTF_8);
      assertThat(svg).startsWith("<?xml");
      assertThat(svg).contains("<svg");
      assertThat(svg).contains("Generated by graph");
      // every device of the config, with the job, is a node of the picture
      for (String node : List.of("SlideServer", "deck", "http", "default_stack", "default_console")) {
        assertWithMessage("%s in %s", node, src).that(svg).contains(">" + node);
        assertThat(dot).contains(node);
      }
    }
    // and the picture changes with the target, as the slides say: xen runs mirage4j's own stack
    String xen = Files.readString(deck.resolve("graph/slides-xen.svg"));
    String unix = Files.readString(deck.resolve("graph/slides-unix.svg"));
    assertThat(xen).contains("netfront");
    assertThat(xen).contains("tcpv4v6");
    assertThat(unix).contains("socket_stack");
    assertThat(unix).doesNotContain("netfront");
  }

  // -- helpers

  private static Element only(String check) {
    List<Element> found = talk.select("pre[data-check=" + check + "]");
    assertWithMessage("blocks with data-check=%s", check).that(found).hasSize(1);
    return found.get(0);
  }

  /** The block's text with the indentation it has in the file. */
  private static String text(Element block) {
    return block.wholeText();
  }

  /** The generator's output for a target, below a build directory of this test. */
  private static synchronized Path generated(String target, String arch) throws IOException {
    String key = target + "-" + arch;
    Path build = GENERATED.get(key);
    if (build != null) {
      return build;
    }
    build = out.resolve(key);
    List<Path> classpath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classpath.add(Path.of(entry));
    }
    Configurator.Input input = new Configurator.Input(sample.resolve("config.mirage"), classpath, sample, target,
        arch.isEmpty() ? null : arch, Map.of(), false);
    Configurator.Configured result = Configurator.configure(input, build, null, null);
    assertWithMessage("generating for %s", key)
        .that(result.problems().stream().filter(Diagnostic::isError).map(Object::toString).toList()).isEmpty();
    GENERATED.put(key, build);
    return build;
  }

  /**
   * That {@code file} holds the excerpt: runs of lines, separated by a line {@code ...}, each found
   * as consecutive lines, in order ({@code gaps}); or, without gaps, each line of the excerpt (trimmed)
   * is a line of the file, in order.
   */
  private static void assertContains(Path file, String content, String excerpt, boolean gaps) {
    List<String> lines = content.lines().toList();
    // blank lines around the block go, the first line's indentation stays
    List<String> quoted = excerpt.replaceAll("^(\\s*\\n)+", "").stripTrailing().lines().toList();
    int at = 0;
    if (!gaps) {
      for (String q : quoted) {
        String want = q.strip();
        while (at < lines.size() && !lines.get(at).strip().equals(want)) {
          at++;
        }
        assertWithMessage("%s holds, after the lines quoted before it, the quoted line\n%s", file, q)
            .that(at).isLessThan(lines.size());
        at++;
      }
      return;
    }
    List<List<String>> runs = new ArrayList<>();
    List<String> run = new ArrayList<>();
    for (String q : quoted) {
      if (q.strip().equals("...")) {
        runs.add(run);
        run = new ArrayList<>();
      } else {
        run.add(q);
      }
    }
    runs.add(run);
    for (List<String> r : runs) {
      int found = -1;
      for (int i = at; i + r.size() <= lines.size() && found < 0; i++) {
        if (lines.subList(i, i + r.size()).equals(r)) {
          found = i;
        }
      }
      assertWithMessage("%s holds, after the lines quoted before them, the lines\n%s", file, String.join("\n", r))
          .that(found).isAtLeast(0);
      at = found + r.size();
    }
  }
}
