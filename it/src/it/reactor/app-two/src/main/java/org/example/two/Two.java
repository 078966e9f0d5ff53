package org.example.two;

import org.mirage4j.api.Console;
import org.mirage4j.api.Job;
import org.mirage4j.api.KvRo;

public final class Two implements Job {
  private final Console console;
  private final KvRo site;

  public Two(Console console, KvRo site) {
    this.console = console;
    this.site = site;
  }

  @Override
  public void start() throws Exception {
    console.log(new String(site.get("index.html"), java.nio.charset.StandardCharsets.UTF_8));
  }
}
