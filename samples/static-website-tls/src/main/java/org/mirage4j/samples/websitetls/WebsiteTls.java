package org.mirage4j.samples.websitetls;

import org.mirage4j.api.Console;
import org.mirage4j.api.HttpServer;
import org.mirage4j.api.Job;
import org.mirage4j.api.KvRo;
import org.mirage4j.api.http.HttpResponse;
import org.mirage4j.drivers.http.StaticFiles;

/** Serves the files over HTTPS, and answers plain HTTP with a redirect to the same path over HTTPS. */
public final class WebsiteTls implements Job {
  private final Console console;
  private final HttpServer https;
  private final HttpServer http;
  private final KvRo htdocs;
  private final int httpsPort;

  /** The console, both servers, the files and the HTTPS port (for the redirects). */
  public WebsiteTls(Console console, HttpServer https, HttpServer http, KvRo htdocs, int httpsPort) {
    this.console = console;
    this.https = https;
    this.http = http;
    this.htdocs = htdocs;
    this.httpsPort = httpsPort;
  }

  @Override
  public void start() throws Exception {
    Thread redirects = new Thread(() -> {
      try {
        http.serve(request -> {
          String host = request.header("Host").map(h -> h.replaceFirst(":\\d+$", "")).orElse("localhost");
          String query = request.query().isEmpty() ? "" : "?" + request.query();
          return HttpResponse.redirect(301, "https://" + host + ":" + httpsPort
              + StaticFiles.encodePath(request.path()) + query);
        });
      } catch (Exception e) {
        console.log("the HTTP redirect server stopped: " + e.getMessage());
      }
    }, "http-redirects");
    redirects.setDaemon(true);
    redirects.start();
    console.log("serving htdocs on https://localhost:" + https.port() + "/ (http://localhost:" + http.port()
        + "/ redirects to it)");
    https.serve(new StaticFiles(htdocs));
  }
}
