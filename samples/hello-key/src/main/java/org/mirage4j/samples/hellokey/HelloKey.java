package org.mirage4j.samples.hellokey;

import org.mirage4j.api.Console;
import org.mirage4j.api.Job;

/** Prints the {@code --hello} greeting four times, one second apart. */
public final class HelloKey implements Job {
  private final Console console;
  private final String hello;

  /** The console, and the value of the runtime key {@code hello}. */
  public HelloKey(Console console, String hello) {
    this.console = console;
    this.hello = hello;
  }

  @Override
  public void start() throws InterruptedException {
    for (int i = 0; i < 4; i++) {
      console.log(hello);
      if (i < 3) {
        Thread.sleep(1000);
      }
    }
  }
}
