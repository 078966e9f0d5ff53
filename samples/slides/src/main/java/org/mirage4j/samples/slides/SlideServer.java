package org.mirage4j.samples.slides;

import org.mirage4j.api.Console;
import org.mirage4j.api.HttpServer;
import org.mirage4j.api.Job;
import org.mirage4j.api.KvRo;
import org.mirage4j.drivers.http.StaticFiles;

/** Serves the slide deck until the unikernel stops. */
public final class SlideServer implements Job {
  private final Console console;
  private final KvRo deck;
  private final HttpServer http;

  /** The console, the deck's files and the HTTP server. */
  public SlideServer(Console console, KvRo deck, HttpServer http) {
    this.console = console;
    this.deck = deck;
    this.http = http;
  }

  @Override
  public void start() throws Exception {
    console.log("slides: open http://localhost:" + http.port() + "/ in a browser (Ctrl-C stops)");
    http.serve(new StaticFiles(deck));
  }
}
