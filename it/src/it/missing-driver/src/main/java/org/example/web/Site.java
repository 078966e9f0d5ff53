package org.example.web;

import org.mirage4j.api.Console;
import org.mirage4j.api.Job;
import org.mirage4j.api.HttpServer;

/** Would serve a site; the build fails before it is compiled. */
public final class Site implements Job {
  /** The console and the server. */
  public Site(Console console, HttpServer http) {}

  @Override
  public void start() {}
}
