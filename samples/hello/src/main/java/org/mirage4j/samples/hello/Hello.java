package org.mirage4j.samples.hello;

import org.mirage4j.api.Console;
import org.mirage4j.api.Job;

/** Prints "hello" four times, one second apart (MirageOS's hello-world). */
public final class Hello implements Job {
  private final Console console;

  /** The job receives the console from the wiring. */
  public Hello(Console console) {
    this.console = console;
  }

  @Override
  public void start() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      console.log("hello");
      if (i < 3) {
        Thread.sleep(1000);
      }
    }
  }
}
