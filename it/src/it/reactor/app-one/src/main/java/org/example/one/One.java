package org.example.one;

import org.mirage4j.api.Console;
import org.mirage4j.api.Job;

public final class One implements Job {
  private final Console console;

  public One(Console console) {
    this.console = console;
  }

  @Override
  public void start() {
    console.log("one");
  }
}
