package org.mirage4j.samples.website;

import org.mirage4j.api.Console;
import org.mirage4j.api.HttpServer;
import org.mirage4j.api.Job;
import org.mirage4j.api.KvRo;
import org.mirage4j.drivers.http.StaticFiles;

/** Serves the files of a kv_ro store over HTTP until the unikernel stops. */
public final class Website implements Job {
  private final Console console;
  private final HttpServer http;
  private final KvRo htdocs;

  /** The console, the server and the files. */
  public Website(Console console, HttpServer http, KvRo htdocs) {
    this.console = console;
    this.http = http;
    this.htdocs = htdocs;
  }

  @Override
  public void start() throws Exception {
    console.log("serving htdocs on http://localhost:" + http.port() + "/");
    http.serve(new StaticFiles(htdocs));
  }
}
