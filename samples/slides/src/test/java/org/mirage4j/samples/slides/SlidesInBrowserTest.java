package org.mirage4j.samples.slides;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirage4j.samples.testing.HeadlessChromium;
import org.mirage4j.samples.testing.UnikernelProcess;

/**
 * The deck as its audience sees it: the unikernel serves it, headless Chromium (Debian's) loads
 * it, reveal.js starts, the right-arrow key and {@code Reveal.next()} move through the slides, and
 * the speaker notes plugin is there. Screenshots of the first slides go to {@code
 * target/screenshots/}.
 */
class SlidesInBrowserTest {

  /** Makes window.moved a promise of the end of the next slide transition. */
  private static final String MOVED =
      "window.moved = new Promise(done => Reveal.on('slidetransitionend', () => done(true), { once: true })), true";

  @Test
  void revealJsStartsAndTheSlidesAdvance(@TempDir Path dir) throws Exception {
    int port = UnikernelProcess.freePort();
    try (UnikernelProcess p = UnikernelProcess.start(dir, "--port=" + port)) {
      p.awaitStdout(l -> l.contains("http://localhost:" + port + "/"));
      // net=direct: the deck is served by mirage4j's own stack in a namespace, reached through a relay
      int local = p.loopbackPort(port);
      Path shots = Path.of(System.getProperty("mirage.buildDir", "target"), "screenshots");
      try (HeadlessChromium browser = HeadlessChromium.start(1280, 720)) {
        browser.navigate("http://127.0.0.1:" + local + "/");
        browser.awaitTrue("typeof Reveal !== 'undefined' && Reveal.isReady()");

        assertThat(browser.eval("Reveal.getIndices().h").getAsInt()).isEqualTo(0);
        assertThat(browser.eval("Reveal.getTotalSlides()").getAsInt()).isAtLeast(10);
        assertThat(browser.eval("document.querySelector('.reveal .slides section h1').textContent").getAsString())
            .isEqualTo("mirage4j");
        assertWithMessage("the notes plugin").that(browser.eval("!!Reveal.getPlugin('notes')").getAsBoolean()).isTrue();
        assertThat(browser.eval("Reveal.getSlideNotes()").getAsString()).contains("unikernel");
        browser.screenshot(shots.resolve("slides-1.png"));

        // a key press, as a user moves on (the screenshot once the slide transition has ended)
        browser.eval(MOVED);
        browser.press("ArrowRight", "ArrowRight", 39);
        browser.awaitTrue("Reveal.getIndices().h === 1");
        assertThat(browser.eval("Reveal.getCurrentSlide().id").getAsString()).isEqualTo("oscon");
        browser.awaitTrue("window.moved");
        browser.screenshot(shots.resolve("slides-2.png"));

        // and reveal.js's API, through the fragment and into the vertical stack
        browser.eval(MOVED);
        browser.eval("Reveal.slide(5)");
        browser.awaitTrue("Reveal.getIndices().h === 5");
        browser.awaitTrue("window.moved");
        assertThat(browser.eval("Reveal.getCurrentSlide().id").getAsString()).isEqualTo("graph-unix");
        // the device graph is a picture the browser could load and draw
        browser.awaitTrue("(() => { const i = Reveal.getCurrentSlide().querySelector('img.graph');"
            + " return i.complete && i.naturalWidth > 100; })()");
        browser.screenshot(shots.resolve("slides-graph.png"));
        browser.eval("Reveal.next()");
        browser.awaitTrue("Reveal.getIndices().h === 6");

        assertWithMessage("the page's console").that(
            browser.console().stream().filter(l -> l.startsWith("error") || l.startsWith("exception")).toList()).isEmpty();
      }
      assertThat(Files.size(shots.resolve("slides-1.png"))).isGreaterThan(10_000L);
      p.stop();
    }
  }
}
