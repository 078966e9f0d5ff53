package org.example.greeter;

import java.nio.charset.StandardCharsets;
import org.mirage4j.api.Block;
import org.mirage4j.api.Console;
import org.mirage4j.api.Job;
import org.mirage4j.api.KvRo;

/** Greets, then prints the embedded secret. */
public final class Greeter implements Job {
  private final Console console;
  private final KvRo store;
  private final Block disk;
  private final String greeting;

  public Greeter(Console console, KvRo store, Block disk, String greeting) {
    this.console = console;
    this.store = store;
    this.disk = disk;
    this.greeting = greeting;
  }

  @Override
  public void start() throws Exception {
    console.log(greeting + " (disk " + disk + ")");
    console.log(new String(store.get("secret.txt"), StandardCharsets.UTF_8).trim());
  }
}
